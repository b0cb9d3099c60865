using Akka.Actor;
using Akka.TestKit.Xunit2;
using Balancer.Actors.Ring;
using Balancer.Actors.Routing;
using Balancer.Actors.Runtime;

namespace Balancer.Tests.Ring;

/// <summary>The RingActor alone: what it publishes, what it answers, and the route objects it carries.</summary>
public sealed class RingActorTests : TestKit
{
    private readonly ConsistentHashMap map = new();
    private readonly RoutingTablePublisher publisher;
    private readonly IActorRef ring;

    public RingActorTests()
    {
        publisher = new RoutingTablePublisher(RoutingTable.Empty(map.Current));
        ring = Sys.ActorOf(RingActor.Props(map, publisher));
    }

    private static RunningReplica Replica(string hostname, int port) =>
        new(hostname, new Uri($"http://127.0.0.1:{port}"), $"pid-{port}");

    private RoutingTable Join(params RunningReplica[] replicas)
    {
        ring.Tell(new JoinRing(replicas), TestActor);
        return ExpectMsg<RingChanged>().Table;
    }

    private RingLeft Leave(params string[] hostnames)
    {
        ring.Tell(new LeaveRing(hostnames), TestActor);
        return ExpectMsg<RingLeft>();
    }

    private static ReplicaRoute RouteOf(RoutingTable table, string hostname) =>
        table.Replicas.Single(route => route.Hostname == hostname);

    [Fact]
    public void AJoinPublishesATableWithARouteObjectPerReplicaAtItsAddress()
    {
        var table = Join(Replica("S1", 6001), Replica("S2", 6002));

        Assert.Same(table, publisher.Current);
        Assert.Same(map.Current, table.Snapshot);
        Assert.Equal(["S1", "S2"], table.Snapshot.Replicas);
        Assert.Equal(["S1", "S2"], table.Replicas.Select(route => route.Hostname));
        Assert.Equal([new Uri("http://127.0.0.1:6001"), new Uri("http://127.0.0.1:6002")], table.Replicas.Select(route => route.Address));
        Assert.All(table.Replicas, route => Assert.Equal(0, route.InFlight.Value));
        Assert.All(Enumerable.Range(100_000, 1000), id => Assert.Equal(map.Current.Route(id), table.RouteFor(id)!.Hostname));
    }

    [Fact]
    public void AJoinWithANameAlreadyInTheRingChangesNothing()
    {
        var before = Join(Replica("S1", 6001));

        ring.Tell(new JoinRing([Replica("S2", 6002), Replica("S1", 6011)]), TestActor);

        Assert.IsType<ArgumentException>(ExpectMsg<Status.Failure>().Cause);
        Assert.Same(before, publisher.Current);
        Assert.Equal(["S1"], map.Current.Replicas);
        Assert.Equal(new Uri("http://127.0.0.1:6001"), RouteOf(before, "S1").Address);
        // The rollback freed S2's server id and slots: the same join without the duplicate places it as id 2.
        var after = Join(Replica("S2", 6002));
        Assert.Same(RouteOf(before, "S1"), RouteOf(after, "S1"));
        Assert.Equal(2, map.Current.ServerIds["S2"]);
    }

    [Fact]
    public void AJoinThatDoesNotFitChangesNothing()
    {
        // 20 slots hold two replicas of 9 virtual servers, not three.
        var small = new ConsistentHashMap(new RingOptions { Slots = 20 });
        var initial = RoutingTable.Empty(small.Current);
        var smallPublisher = new RoutingTablePublisher(initial);
        var smallRing = Sys.ActorOf(RingActor.Props(small, smallPublisher));

        smallRing.Tell(new JoinRing([Replica("A", 6001), Replica("B", 6002), Replica("C", 6003)]), TestActor);

        Assert.IsType<RingFullException>(ExpectMsg<Status.Failure>().Cause);
        Assert.Same(initial, smallPublisher.Current);
        Assert.Empty(small.Current.Replicas);
        Assert.Empty(small.Current.VirtualServers);
    }

    [Fact]
    public void AReplicaKeepsItsRouteObjectWhileOthersJoinAndLeave()
    {
        var first = Join(Replica("S1", 6001), Replica("S2", 6002));
        var s1 = RouteOf(first, "S1");
        var s2 = RouteOf(first, "S2");
        using var inFlight = HashedRoutePicker.Instance.Acquire(s1);

        var afterJoin = Join(Replica("S3", 6003));
        Assert.Same(s1, RouteOf(afterJoin, "S1"));
        Assert.Same(s2, RouteOf(afterJoin, "S2"));
        var s3 = RouteOf(afterJoin, "S3");

        var afterLeave = Leave("S2").Table;
        Assert.Same(s1, RouteOf(afterLeave, "S1"));
        Assert.Same(s3, RouteOf(afterLeave, "S3"));
        Assert.Equal(["S1", "S3"], afterLeave.Replicas.Select(route => route.Hostname));
        // The request counted before the changes is still counted on the replica it went to.
        Assert.Equal(1, RouteOf(afterLeave, "S1").InFlight.Value);
    }

    [Fact]
    public void ALeaveAnswersWithTheDepartedRoutesAndTheirRequestsInFlight()
    {
        var table = Join(Replica("S1", 6001), Replica("S2", 6002), Replica("S3", 6003));
        var s2 = RouteOf(table, "S2");
        using var first = HashedRoutePicker.Instance.Acquire(s2);
        using var second = HashedRoutePicker.Instance.Acquire(s2);

        var left = Leave("S2", "not-in-the-ring");

        Assert.Same(left.Table, publisher.Current);
        Assert.Equal(["S1", "S3"], left.Table.Snapshot.Replicas);
        Assert.DoesNotContain(s2, left.Table.Replicas);
        Assert.Same(s2, Assert.Single(left.Departed));
        Assert.Equal(2, s2.InFlight.Value);
        Assert.All(Enumerable.Range(100_000, 1000), id => Assert.NotSame(s2, left.Table.RouteFor(id)));
    }

    [Fact]
    public void ALeaveOfTheLastReplicaPublishesAnEmptyTable()
    {
        Join(Replica("S1", 6001));

        var left = Leave("S1");

        Assert.Empty(left.Table.Replicas);
        Assert.Null(left.Table.RouteFor(123_456));
        Assert.Equal("S1", Assert.Single(left.Departed).Hostname);
    }

    [Fact]
    public void AReplicaThatRejoinsGetsAFreshRouteObject()
    {
        var old = RouteOf(Join(Replica("S1", 6001), Replica("S2", 6002)), "S2");
        using var stillDraining = HashedRoutePicker.Instance.Acquire(old);
        Leave("S2");

        var fresh = RouteOf(Join(Replica("S2", 6012)), "S2");

        Assert.NotSame(old, fresh);
        Assert.Equal(new Uri("http://127.0.0.1:6012"), fresh.Address);
        Assert.Equal(0, fresh.InFlight.Value);
        Assert.Equal(1, old.InFlight.Value);
    }
}
