using Akka.Actor;
using Akka.TestKit.Xunit2;
using Balancer.Actors.Ring;
using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using Balancer.Actors.Runtime;

namespace Balancer.Tests.Ring;

/// <summary>The RingActor's routes are judged by its health policy, and a replica that leaves is retired.</summary>
public sealed class RingActorHealthTests : TestKit
{
    private readonly ConsistentHashMap map = new();
    private readonly ReplicaHealthPolicy policy = new(new HealthOptions(), TimeSpan.FromSeconds(3));
    private readonly IActorRef ring;

    public RingActorHealthTests()
    {
        var publisher = new RoutingTablePublisher(RoutingTable.Empty(map.Current));
        ring = Sys.ActorOf(RingActor.Props(map, publisher, policy));
    }

    [Fact]
    public void Routes_carry_the_rings_policy_and_the_budget_counts_the_rings_replicas()
    {
        ring.Tell(new JoinRing([Replica("S1", 6001), Replica("S2", 6002), Replica("S3", 6003)]), TestActor);
        var table = ExpectMsg<RingChanged>().Table;

        Assert.All(table.Replicas, route => Assert.Same(policy, route.Health.Policy));
        Assert.Equal(3, policy.Budget.Replicas);
    }

    [Fact]
    public void An_ejected_replica_that_leaves_gives_its_place_in_the_budget_back()
    {
        ring.Tell(new JoinRing([Replica("S1", 6001), Replica("S2", 6002)]), TestActor);
        var s1 = ExpectMsg<RingChanged>().Table.Replicas[0];
        for (var i = 0; i < 3; i++)
        {
            s1.Health.Record(AttemptOutcome.NoAnswer, s1.Health.Start(), trial: false);
        }

        Assert.Equal(1, policy.Budget.Ejected);

        ring.Tell(new LeaveRing(["S1"]), TestActor);
        var left = ExpectMsg<RingLeft>();

        Assert.Same(s1, Assert.Single(left.Departed));
        Assert.Equal((0, 1), (policy.Budget.Ejected, policy.Budget.Replicas));
        Assert.False(s1.Health.IsEjected);
    }

    private static RunningReplica Replica(string hostname, int port) =>
        new(hostname, new Uri($"http://127.0.0.1:{port}"), $"pid-{port}");
}
