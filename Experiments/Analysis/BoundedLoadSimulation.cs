using Balancer.Actors.Routing;

namespace Experiments.Analysis;

/// <summary>
/// Replays a range of request ids through a <see cref="BoundedLoadRouter"/> with a fixed number of
/// requests in flight: each new request waits for the oldest one to finish, as a closed-loop load
/// generator with that many workers would.
/// </summary>
public static class BoundedLoadSimulation
{
    /// <summary>Requests placed on each replica, in the order of <see cref="IRouteSnapshot.Replicas"/>.</summary>
    public static int[] CountPerReplica(IRouteSnapshot snapshot, double balanceFactor, int concurrency, long firstId, long lastId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var router = new BoundedLoadRouter(balanceFactor);
        var table = RouteTables.For(snapshot);
        var indexByName = LoadSpread.IndexByName(snapshot.Replicas);
        var counts = new int[snapshot.Replicas.Count];
        var inFlight = new Queue<ReplicaLease>(concurrency + 1);
        for (var id = firstId; id <= lastId; id++)
        {
            var lease = router.Acquire(table, id);
            counts[indexByName[lease.Route!.Hostname]]++;
            inFlight.Enqueue(lease);
            if (inFlight.Count >= concurrency)
            {
                inFlight.Dequeue().Dispose();
            }
        }

        while (inFlight.Count > 0)
        {
            inFlight.Dequeue().Dispose();
        }

        return counts;
    }
}
