using Balancer.Actors.Routing.Health;

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
    private string? fingerprint;

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

    /// <summary>
    /// Which state of the ring this is: in a cluster, the replicated inputs' version (the same on every node
    /// for the same table); on a single node, how many tables its ring has published.
    /// </summary>
    public long Version { get; init; }

    /// <summary>A stable hash of what this table routes where (<see cref="RoutingFingerprint"/>), computed once.</summary>
    public string Fingerprint => fingerprint ??= RoutingFingerprint.Of(Snapshot);

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
    /// Ejected replicas come last: one is tried only when every other untried replica was.
    /// </summary>
    public ReplicaRoute? NextUntried(long requestId, ReadOnlySpan<ReplicaRoute> tried)
    {
        // Without ejected replicas the first untried one is among the first tried.Length + 1 distinct ones.
        var wanted = AnyEjected() ? routes.Length : Math.Min(tried.Length + 1, routes.Length);
        var order = wanted <= 64 ? stackalloc int[wanted] : new int[wanted];
        var found = Snapshot.FillFailoverOrder(requestId, order);
        ReplicaRoute? ejected = null;
        foreach (var index in order[..found])
        {
            var route = routes[index];
            if (Contains(tried, route))
            {
                continue;
            }

            if (!route.Health.IsEjected)
            {
                return route;
            }

            ejected ??= route;
        }

        return ejected;
    }

    /// <summary>
    /// Where a request goes while its own replica is ejected: the first replica of its failover order that
    /// admits it (routes, or takes it as its trial), or, when every replica is ejected, its own (route to all).
    /// </summary>
    internal ReplicaRoute AdmittedFor(long requestId, out bool trial)
    {
        var order = routes.Length <= 64 ? stackalloc int[routes.Length] : new int[routes.Length];
        var found = Snapshot.FillFailoverOrder(requestId, order);
        foreach (var index in order[..found])
        {
            var admission = routes[index].Health.Admit();
            if (admission != Admission.Skip)
            {
                trial = admission == Admission.Trial;
                return routes[index];
            }
        }

        trial = false;
        return routes[order[0]];
    }

    private bool AnyEjected()
    {
        foreach (var route in routes)
        {
            if (route.Health.IsEjected)
            {
                return true;
            }
        }

        return false;
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
