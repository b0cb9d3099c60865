using Balancer.Actors.Routing;

namespace Experiments.Analysis;

/// <summary>Counts of requests by the replica that served them, as measured over HTTP.</summary>
public static class ServedLoad
{
    /// <summary>
    /// Requests per replica, ordered by name (ordinal, ignoring case). A null entry is a failed
    /// request: it is counted in <paramref name="failed"/> and in no replica.
    /// </summary>
    public static SortedDictionary<string, int> CountPerReplica(IEnumerable<string?> servedBy, out int failed)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        failed = 0;
        foreach (var replica in servedBy)
        {
            if (replica is null)
            {
                failed++;
                continue;
            }

            counts[replica] = counts.GetValueOrDefault(replica) + 1;
        }

        return counts;
    }

    /// <summary>
    /// Min, mean and max over the replicas that should share the load. A listed replica that served
    /// nothing counts as 0, so a replica the hash never reaches shows up as the minimum.
    /// </summary>
    public static LoadSummary Summarize(IReadOnlyDictionary<string, int> counts, IEnumerable<string> replicas)
    {
        var loads = replicas.Select(replica => counts.GetValueOrDefault(replica)).ToArray();
        return Summarize(loads);
    }

    public static LoadSummary Summarize(IReadOnlyCollection<int> loads)
    {
        if (loads.Count == 0)
        {
            return new LoadSummary(0, 0, 0, 0, 0);
        }

        var mean = loads.Sum(load => (double)load) / loads.Count;
        var max = loads.Max();
        return new LoadSummary(loads.Count, loads.Min(), mean, max, mean == 0 ? 0 : max / mean);
    }
}

/// <summary>Load per replica at one N: the busiest over the mean is 1 for a perfect spread.</summary>
public readonly record struct LoadSummary(int Replicas, int Min, double Mean, int Max, double MaxOverMean);
