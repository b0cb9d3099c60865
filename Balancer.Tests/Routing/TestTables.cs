using Balancer.Actors.Routing;

namespace Balancer.Tests.Routing;

/// <summary>Routing tables built the way the RingActor builds them, for tests of the pickers without actors.</summary>
internal static class TestTables
{
    /// <summary>A table with a fresh route object per replica.</summary>
    public static RoutingTable For(IRouteSnapshot snapshot) => Carry(RoutingTable.Empty(EmptySnapshot), snapshot);

    /// <summary>The table for <paramref name="snapshot"/> that keeps the route object of every replica that stays.</summary>
    public static RoutingTable Carry(RoutingTable previous, IRouteSnapshot snapshot)
    {
        var kept = previous.Replicas.ToDictionary(route => route.Hostname, StringComparer.OrdinalIgnoreCase);
        return new RoutingTable(snapshot, snapshot.Replicas
            .Select((name, index) => kept.GetValueOrDefault(name) ?? new ReplicaRoute(name, new Uri($"http://127.0.0.1:{20_000 + index}")))
            .ToArray());
    }

    private static IRouteSnapshot EmptySnapshot => new ConsistentHashMap().Current;
}
