using Balancer.Actors.Routing;

namespace Experiments.Analysis;

/// <summary>How evenly a snapshot spreads a range of request ids, and how many ids a change moves.</summary>
public static class LoadSpread
{
    /// <summary>Ids routed to each replica, in the order of <see cref="IRouteSnapshot.Replicas"/>.</summary>
    public static int[] CountPerReplica(IRouteSnapshot snapshot, long firstId, long lastId)
    {
        var indexByName = IndexByName(snapshot.Replicas);
        var counts = new int[snapshot.Replicas.Count];
        for (var id = firstId; id <= lastId; id++)
        {
            counts[indexByName[snapshot.Route(id)!]]++;
        }

        return counts;
    }

    /// <summary>The busiest replica's count over the mean count: 1 is a perfect spread.</summary>
    public static double MaxOverMean(IReadOnlyCollection<int> counts) =>
        counts.Count == 0 ? 0 : counts.Max() / (counts.Sum(count => (double)count) / counts.Count);

    public static double MaxOverMean(IRouteSnapshot snapshot, long firstId, long lastId) =>
        MaxOverMean(CountPerReplica(snapshot, firstId, lastId));

    /// <summary>The percentage of ids whose replica differs between two snapshots.</summary>
    public static double MovedPercent(IRouteSnapshot before, IRouteSnapshot after, long firstId, long lastId)
    {
        long moved = 0;
        for (var id = firstId; id <= lastId; id++)
        {
            if (!string.Equals(before.Route(id), after.Route(id), StringComparison.OrdinalIgnoreCase))
            {
                moved++;
            }
        }

        return 100.0 * moved / (lastId - firstId + 1);
    }

    /// <summary>The percentage of ids a replica serves.</summary>
    public static double SharePercent(IRouteSnapshot snapshot, string hostname, long firstId, long lastId)
    {
        long owned = 0;
        for (var id = firstId; id <= lastId; id++)
        {
            if (string.Equals(snapshot.Route(id), hostname, StringComparison.OrdinalIgnoreCase))
            {
                owned++;
            }
        }

        return 100.0 * owned / (lastId - firstId + 1);
    }

    internal static Dictionary<string, int> IndexByName(IReadOnlyList<string> replicas)
    {
        var indexByName = new Dictionary<string, int>(replicas.Count, StringComparer.OrdinalIgnoreCase);
        for (var index = 0; index < replicas.Count; index++)
        {
            indexByName[replicas[index]] = index;
        }

        return indexByName;
    }
}
