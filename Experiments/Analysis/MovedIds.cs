using Balancer.Actors.Routing;

namespace Experiments.Analysis;

/// <summary>Which request ids changed replica between two measured runs over the same id set.</summary>
public static class MovedIds
{
    /// <summary>
    /// The fraction (0..1) of ids served in both runs whose replica differs. Ids that failed in
    /// either run are left out: a failure says nothing about where the map sends the id.
    /// </summary>
    public static double Fraction(IReadOnlyDictionary<long, string?> before, IReadOnlyDictionary<long, string?> after)
    {
        var compared = 0;
        var moved = 0;
        foreach (var (id, replicaBefore) in before)
        {
            if (replicaBefore is null || !after.TryGetValue(id, out var replicaAfter) || replicaAfter is null)
            {
                continue;
            }

            compared++;
            if (!string.Equals(replicaBefore, replicaAfter, StringComparison.OrdinalIgnoreCase))
            {
                moved++;
            }
        }

        return compared == 0 ? 0 : (double)moved / compared;
    }

    /// <summary>
    /// The replica each id was served by. An id sent more than once keeps its last successful
    /// answer, so a retried id is not mistaken for a failed one.
    /// </summary>
    public static Dictionary<long, string?> ByRequestId(IEnumerable<(long Id, string? Replica)> outcomes)
    {
        var byId = new Dictionary<long, string?>();
        foreach (var (id, replica) in outcomes)
        {
            if (replica is not null || !byId.ContainsKey(id))
            {
                byId[id] = replica;
            }
        }

        return byId;
    }
}
