using System.Buffers;

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
/// still draining from a replica that left.
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

        var cap = Cap(total.Increment(), routes.Length);
        Span<int> candidates = stackalloc int[Math.Min(routes.Length, FirstCandidates)];
        var found = table.Snapshot.FillFailoverOrder(requestId, candidates);
        if (TryPlace(candidates[..found], routes, cap, out var chosen) ||
            (routes.Length > FirstCandidates && TryPlaceBeyondFirst(table, requestId, cap, out chosen)))
        {
            return new ReplicaLease(routes[chosen], total);
        }

        // Counts never sum past the total and N x cap > total, so some replica is under the cap; all look
        // full only when concurrent requests raised the counts during the walk. The hashed replica is then
        // the natural fallback.
        chosen = candidates[0];
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

    private static bool TryPlace(ReadOnlySpan<int> candidates, ReadOnlySpan<ReplicaRoute> routes, int cap, out int chosen)
    {
        foreach (var candidate in candidates)
        {
            if (routes[candidate].InFlight.TryIncrementUnder(cap))
            {
                chosen = candidate;
                return true;
            }
        }

        chosen = -1;
        return false;
    }

    private static bool TryPlaceBeyondFirst(RoutingTable table, long requestId, int cap, out int chosen)
    {
        var routes = table.ByIndex;
        var all = ArrayPool<int>.Shared.Rent(routes.Length);
        try
        {
            var found = table.Snapshot.FillFailoverOrder(requestId, all.AsSpan(0, routes.Length));
            return TryPlace(all.AsSpan(FirstCandidates, found - FirstCandidates), routes, cap, out chosen);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(all);
        }
    }
}
