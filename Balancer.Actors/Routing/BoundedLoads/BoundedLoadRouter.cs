using System.Buffers;
using Balancer.Actors.Routing.Health;

namespace Balancer.Actors.Routing;

/// <summary>
/// Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam, 2018): a request goes to
/// the first replica in its failover order (clockwise on a ring) whose in-flight count is under
/// ceil(c x (total in-flight + 1) / N). The +1 is the request being placed, so an idle balancer places
/// every request on its hashed replica. Thread-safe and lock-free per request.
/// </summary>
/// <remarks>
/// A replica's count is its route object's <see cref="ReplicaRoute.InFlight"/>, which the ring carries
/// across snapshots: requests in flight when the replica set changes keep counting against their
/// replica, and the forwarder and drain read the same count. A replica that leaves stops being a
/// candidate at once. The total counts every request in flight through this router, including those
/// still draining from a replica that left. An ejected replica is no candidate (unless the request is its
/// trial) and does not count in N, so the replicas that route share the load under the same factor.
/// </remarks>
public sealed class BoundedLoadRouter : IRoutePicker
{
    // Most requests are placed within the first few candidates; only a crowded balancer walks further.
    private const int FirstCandidates = 8;

    private readonly InFlightCounter total = new();

    public BoundedLoadRouter(double balanceFactor)
    {
        if (!(balanceFactor >= 1.0 && double.IsFinite(balanceFactor)))
        {
            throw new ArgumentOutOfRangeException(nameof(balanceFactor), balanceFactor,
                "The balance factor c must be a finite number of at least 1 (for example 1.25).");
        }

        BalanceFactor = balanceFactor;
    }

    public double BalanceFactor { get; }

    public int TotalInFlight => total.Value;

    /// <summary>The cap a replica must be under to take a request when <paramref name="totalInFlight"/> requests, this one included, are in flight.</summary>
    public int Cap(int totalInFlight, int replicas) => (int)Math.Ceiling(BalanceFactor * totalInFlight / replicas);

    /// <summary>Places a request; dispose the lease when the request is done.</summary>
    public ReplicaLease Acquire(RoutingTable table, long requestId)
    {
        var routes = table.ByIndex;
        if (routes.Length == 0)
        {
            return default;
        }

        var cap = Cap(total.Increment(), Routing(routes));
        Span<int> candidates = stackalloc int[Math.Min(routes.Length, FirstCandidates)];
        var found = table.Snapshot.FillFailoverOrder(requestId, candidates);
        if (TryPlace(candidates[..found], routes, cap, out var chosen, out var trial) ||
            (routes.Length > FirstCandidates && TryPlaceBeyondFirst(table, requestId, cap, out chosen, out trial)))
        {
            return new ReplicaLease(routes[chosen], total, trial);
        }

        // Counts never sum past the total and N x cap > total, so some replica is under the cap; all look
        // full only when concurrent requests raised the counts during the walk. The first candidate that
        // routes (else, every one ejected, the hashed replica) is then the natural fallback.
        chosen = FirstRouting(candidates[..found], routes);
        routes[chosen].InFlight.Increment();
        return new ReplicaLease(routes[chosen], total);
    }

    /// <summary>A failover attempt: counted on its replica and in the total, whatever the cap.</summary>
    public ReplicaLease Acquire(ReplicaRoute route)
    {
        total.Increment();
        route.InFlight.Increment();
        return new ReplicaLease(route, total);
    }

    // The replicas that route: the ring's, less those ejected (the budget counts the ring's), at least one.
    private static int Routing(ReadOnlySpan<ReplicaRoute> routes)
    {
        var ejected = routes[0].Health.Policy.Budget.Ejected;
        return routes.Length - Math.Clamp(ejected, 0, routes.Length - 1);
    }

    private static int FirstRouting(ReadOnlySpan<int> candidates, ReadOnlySpan<ReplicaRoute> routes)
    {
        foreach (var candidate in candidates)
        {
            if (!routes[candidate].Health.IsEjected)
            {
                return candidate;
            }
        }

        return candidates[0];
    }

    private static bool TryPlace(ReadOnlySpan<int> candidates, ReadOnlySpan<ReplicaRoute> routes, int cap, out int chosen, out bool trial)
    {
        foreach (var candidate in candidates)
        {
            var route = routes[candidate];
            var admission = route.Health.Admit();
            if (admission == Admission.Skip)
            {
                continue;
            }

            if (route.InFlight.TryIncrementUnder(cap))
            {
                chosen = candidate;
                trial = admission == Admission.Trial;
                return true;
            }

            if (admission == Admission.Trial)
            {
                route.Health.ReturnTrial();
            }
        }

        chosen = -1;
        trial = false;
        return false;
    }

    private static bool TryPlaceBeyondFirst(RoutingTable table, long requestId, int cap, out int chosen, out bool trial)
    {
        var routes = table.ByIndex;
        var all = ArrayPool<int>.Shared.Rent(routes.Length);
        try
        {
            var found = table.Snapshot.FillFailoverOrder(requestId, all.AsSpan(0, routes.Length));
            return TryPlace(all.AsSpan(FirstCandidates, found - FirstCandidates), routes, cap, out chosen, out trial);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(all);
        }
    }
}
