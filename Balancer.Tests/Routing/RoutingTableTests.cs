using Balancer.Actors.Routing;
using FsCheck.Xunit;

namespace Balancer.Tests.Routing;

/// <summary>The table request threads read: index-to-route lookups and the failover walk over route objects.</summary>
public sealed class RoutingTableTests
{
    [Property(MaxTest = 50)]
    public bool RouteIndexPointsAtTheRoutedReplica(int seed)
    {
        var snapshot = StrategyScenario.Build(seed, StrategyScenario.Pick(seed)).Current;
        return RequestIdSamples.For(seed).All(id => snapshot.Replicas[snapshot.RouteIndex(id)] == snapshot.Route(id));
    }

    [Property(MaxTest = 50)]
    public bool RouteForGivesTheRouteObjectOfTheRoutedReplica(int seed)
    {
        var table = TestTables.For(StrategyScenario.Build(seed, StrategyScenario.Pick(seed)).Current);
        var routeByName = table.Replicas.ToDictionary(route => route.Hostname, StringComparer.OrdinalIgnoreCase);
        return RequestIdSamples.For(seed).All(id => ReferenceEquals(table.RouteFor(id), routeByName[table.Snapshot.Route(id)!]));
    }

    [Property(MaxTest = 50)]
    public bool NextUntriedWalksTheFailoverOrderPastTheTriedRoutes(int seed)
    {
        var table = TestTables.For(StrategyScenario.Build(seed, StrategyScenario.Pick(seed)).Current);
        return RequestIdSamples.For(seed).Take(200).All(id =>
        {
            var tried = new List<ReplicaRoute>();
            while (table.NextUntried(id, tried.ToArray()) is { } next)
            {
                tried.Add(next);
            }

            return tried.Select(route => route.Hostname).SequenceEqual(table.Snapshot.FailoverOrder(id));
        });
    }

    [Fact]
    public void NextUntriedSkipsTriedRoutesWhereverTheyAreInTheOrder()
    {
        var map = new ConsistentHashMap();
        foreach (var name in new[] { "S1", "S2", "S3", "S4" })
        {
            map.Add(name);
        }

        var table = TestTables.For(map.Current);
        var order = map.Current.FailoverOrder(132_574).Select(name => table.Replicas.Single(route => route.Hostname == name)).ToArray();

        Assert.Same(order[0], table.NextUntried(132_574, []));
        Assert.Same(order[1], table.NextUntried(132_574, [order[0]]));
        // A tried route that left the table (a replica removed meanwhile) does not hide the routed one.
        Assert.Same(order[0], table.NextUntried(132_574, [new ReplicaRoute("gone", new Uri("http://127.0.0.1:1"))]));
        Assert.Same(order[2], table.NextUntried(132_574, [order[1], order[0]]));
        Assert.Same(order[0], table.NextUntried(132_574, [order[1], order[2]]));
        Assert.Null(table.NextUntried(132_574, order));
    }

    [Fact]
    public void AnEmptyTableRoutesNowhere()
    {
        var table = TestTables.For(new MaglevMap(13).Current);

        Assert.Equal(-1, table.Snapshot.RouteIndex(42));
        Assert.Null(table.RouteFor(42));
        Assert.Null(table.NextUntried(42, []));
        Assert.Equal(-1, new ConsistentHashMap().Current.RouteIndex(42));
    }

    [Fact]
    public void RoutesMustBeTheSnapshotsReplicasInItsOrder()
    {
        var map = new ConsistentHashMap();
        map.Add("S1");
        map.Add("S2");
        var s1 = new ReplicaRoute("S1", new Uri("http://127.0.0.1:6001"));
        var s2 = new ReplicaRoute("S2", new Uri("http://127.0.0.1:6002"));

        Assert.Throws<ArgumentException>(() => new RoutingTable(map.Current, [s2, s1]));
        Assert.Throws<ArgumentException>(() => new RoutingTable(map.Current, [s1]));
        Assert.Equal([s1, s2], new RoutingTable(map.Current, [s1, s2]).Replicas);
    }

    [Fact]
    public void TheHashedPickerCountsTheRoutedReplicaUntilTheLeaseEnds()
    {
        var map = new ConsistentHashMap();
        map.Add("S1");
        map.Add("S2");
        var table = TestTables.For(map.Current);
        var routed = table.RouteFor(132_574)!;

        using (var lease = HashedRoutePicker.Instance.Acquire(table, 132_574))
        {
            Assert.Same(routed, lease.Route);
            Assert.Equal(1, routed.InFlight.Value);
        }

        Assert.All(table.Replicas, route => Assert.Equal(0, route.InFlight.Value));
        using var none = HashedRoutePicker.Instance.Acquire(TestTables.For(new ConsistentHashMap().Current), 132_574);
        Assert.Null(none.Route);
    }
}
