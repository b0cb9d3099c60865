using Balancer.Actors.Routing;

namespace Experiments.Analysis;

/// <summary>Routing tables for analyses that replay ids offline: no replica is ever contacted.</summary>
public static class RouteTables
{
    /// <summary>A table over <paramref name="snapshot"/> with a fresh route object per replica on a made-up loopback port.</summary>
    public static RoutingTable For(IRouteSnapshot snapshot) =>
        new(snapshot, snapshot.Replicas.Select((name, index) => new ReplicaRoute(name, new Uri($"http://127.0.0.1:{10_000 + index}"))).ToArray());
}
