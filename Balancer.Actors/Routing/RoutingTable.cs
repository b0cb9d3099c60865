namespace Balancer.Actors.Routing;

/// <summary>
/// What request threads read to route: the strategy's snapshot and each of its replicas' route object,
/// in the snapshot's replica order, so a request costs one hash and one array read and touches nothing
/// keyed by name. Immutable; the RingActor publishes a new one after every change, with the same route
/// object for every replica that stayed.
/// </summary>
public sealed class RoutingTable
{
    private readonly ReplicaRoute[] routes;

    /// <param name="snapshot">The strategy's snapshot.</param>
    /// <param name="routes">The route object of each replica of <paramref name="snapshot"/>, in the order of its <see cref="IRouteSnapshot.Replicas"/>.</param>
    /// <exception cref="ArgumentException">The routes are not the snapshot's replicas in its order.</exception>
    public RoutingTable(IRouteSnapshot snapshot, IReadOnlyList<ReplicaRoute> routes)
    {
        if (!routes.Select(route => route.Hostname).SequenceEqual(snapshot.Replicas, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"The routes ({string.Join(", ", routes)}) are not the snapshot's replicas ({string.Join(", ", snapshot.Replicas)}) in order.",
                nameof(routes));
        }

        Snapshot = snapshot;
        this.routes = routes.ToArray();
    }

    /// <summary>The strategy's view: hashing, failover order, replica names.</summary>
    public IRouteSnapshot Snapshot { get; }

    /// <summary>The route objects, in the order of the snapshot's <see cref="IRouteSnapshot.Replicas"/> (the order they joined).</summary>
    public IReadOnlyList<ReplicaRoute> Replicas => routes;

    /// <summary>Route objects by replica index, for the per-request walks of this assembly.</summary>
    internal ReadOnlySpan<ReplicaRoute> ByIndex => routes;

    /// <summary>A table for a snapshot without replicas.</summary>
    public static RoutingTable Empty(IRouteSnapshot snapshot) => new(snapshot, []);

    /// <summary>The replica that serves a request id, or null when there is none. Never allocates.</summary>
    public ReplicaRoute? RouteFor(long requestId)
    {
        var index = Snapshot.RouteIndex(requestId);
        return index < 0 ? null : routes[index];
    }

    /// <summary>
    /// The first replica of the request's failover order (the routed one, then the next distinct replicas
    /// clockwise) that is not one of <paramref name="tried"/> (the same instance), or null when none is left.
    /// </summary>
    public ReplicaRoute? NextUntried(long requestId, ReadOnlySpan<ReplicaRoute> tried)
    {
        // The first untried replica is among the first tried.Length + 1 distinct ones.
        var wanted = Math.Min(tried.Length + 1, routes.Length);
        var order = wanted <= 64 ? stackalloc int[wanted] : new int[wanted];
        var found = Snapshot.FillFailoverOrder(requestId, order);
        foreach (var index in order[..found])
        {
            if (!Contains(tried, routes[index]))
            {
                return routes[index];
            }
        }

        return null;
    }

    private static bool Contains(ReadOnlySpan<ReplicaRoute> routes, ReplicaRoute route)
    {
        foreach (var candidate in routes)
        {
            if (ReferenceEquals(candidate, route))
            {
                return true;
            }
        }

        return false;
    }
}
