using System.Buffers;
using System.Runtime.CompilerServices;

namespace Balancer.Actors.Routing;

/// <summary>
/// Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam, 2018): a request goes to
/// the first replica in its failover order (clockwise on a ring) whose in-flight count is under
/// ceil(c x (total in-flight + 1) / N). The +1 is the request being placed, so an idle balancer places
/// every request on its hashed replica. Thread-safe and lock-free per request.
/// </summary>
/// <remarks>
/// Counters belong to hostnames, not snapshots, so requests in flight when the replica set changes keep
/// counting against their replica. A replica that leaves stops being a candidate at once; its counter is
/// dropped from the table once it is idle, and leases still out keep their own reference to it.
/// The total counts every request in flight, including those still draining from a replica that left.
/// </remarks>
public sealed class BoundedLoadRouter
{
    // Most requests are placed within the first few candidates; only a crowded balancer walks further.
    private const int FirstCandidates = 8;

    private readonly Dictionary<string, InFlightCounter> counterByHostname = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConditionalWeakTable<IRouteSnapshot, ReplicaCounters> countersBySnapshot = new();
    private readonly Lock tableLock = new();
    private ReplicaCounters? latest;
    private int totalInFlight;

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

    public int TotalInFlight => Volatile.Read(ref totalInFlight);

    /// <summary>The cap a replica must be under to take a request when <paramref name="totalInFlight"/> requests, this one included, are in flight.</summary>
    public int Cap(int totalInFlight, int replicas) => (int)Math.Ceiling(BalanceFactor * totalInFlight / replicas);

    /// <summary>Requests in flight to a replica of the latest snapshot seen (0 for one it never placed).</summary>
    public int InFlight(string hostname)
    {
        lock (tableLock)
        {
            return counterByHostname.TryGetValue(hostname, out var counter) ? counter.Value : 0;
        }
    }

    /// <summary>Places a request; dispose the lease when the request is done.</summary>
    public BoundedLoadLease Acquire(IRouteSnapshot snapshot, long requestId)
    {
        var replicas = snapshot.Replicas;
        if (replicas.Count == 0)
        {
            return default;
        }

        var counters = CountersFor(snapshot).ByReplicaIndex;
        var cap = Cap(Interlocked.Increment(ref totalInFlight), replicas.Count);
        Span<int> candidates = stackalloc int[Math.Min(replicas.Count, FirstCandidates)];
        var found = snapshot.FillFailoverOrder(requestId, candidates);
        if (TryPlace(candidates[..found], counters, cap, out var chosen) ||
            (replicas.Count > FirstCandidates && TryPlaceBeyondFirst(snapshot, requestId, counters, cap, out chosen)))
        {
            return new BoundedLoadLease(this, counters[chosen], replicas[chosen]);
        }

        // Counts never sum past the total and N x cap > total, so some replica is under the cap; all look
        // full only when concurrent requests raised the counts during the walk. The hashed replica is then
        // the natural fallback.
        chosen = candidates[0];
        counters[chosen].Increment();
        return new BoundedLoadLease(this, counters[chosen], replicas[chosen]);
    }

    internal void ReleaseOne() => Interlocked.Decrement(ref totalInFlight);

    private static bool TryPlace(ReadOnlySpan<int> candidates, InFlightCounter[] counters, int cap, out int chosen)
    {
        foreach (var candidate in candidates)
        {
            if (counters[candidate].TryIncrementUnder(cap))
            {
                chosen = candidate;
                return true;
            }
        }

        chosen = -1;
        return false;
    }

    private static bool TryPlaceBeyondFirst(IRouteSnapshot snapshot, long requestId, InFlightCounter[] counters, int cap, out int chosen)
    {
        var all = ArrayPool<int>.Shared.Rent(snapshot.Replicas.Count);
        try
        {
            var found = snapshot.FillFailoverOrder(requestId, all.AsSpan(0, snapshot.Replicas.Count));
            return TryPlace(all.AsSpan(FirstCandidates, found - FirstCandidates), counters, cap, out chosen);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(all);
        }
    }

    private ReplicaCounters CountersFor(IRouteSnapshot snapshot)
    {
        var current = Volatile.Read(ref latest);
        if (current is not null && ReferenceEquals(current.Snapshot, snapshot))
        {
            return current;
        }

        return countersBySnapshot.TryGetValue(snapshot, out var known) ? known : Register(snapshot);
    }

    private ReplicaCounters Register(IRouteSnapshot snapshot)
    {
        lock (tableLock)
        {
            if (countersBySnapshot.TryGetValue(snapshot, out var known))
            {
                return known;
            }

            var replicas = snapshot.Replicas;
            var byIndex = new InFlightCounter[replicas.Count];
            for (var index = 0; index < replicas.Count; index++)
            {
                if (!counterByHostname.TryGetValue(replicas[index], out var counter))
                {
                    counter = new InFlightCounter();
                    counterByHostname.Add(replicas[index], counter);
                }

                byIndex[index] = counter;
            }

            DropIdleDeparted(replicas);
            var counters = new ReplicaCounters(snapshot, byIndex);
            countersBySnapshot.Add(snapshot, counters);
            Volatile.Write(ref latest, counters);
            return counters;
        }
    }

    private void DropIdleDeparted(IReadOnlyList<string> live)
    {
        var liveNames = new HashSet<string>(live, StringComparer.OrdinalIgnoreCase);
        foreach (var (hostname, counter) in counterByHostname)
        {
            if (!liveNames.Contains(hostname) && counter.Value == 0)
            {
                counterByHostname.Remove(hostname);
            }
        }
    }
}
