using Balancer.Actors.Routing;

namespace Balancer.Web.Metrics;

/// <summary>
/// Each replica's share of the key space: the fraction of the six-digit request ids (the ones the
/// balancer draws when a request brings none) its strategy routes to it. Counted over every such id once
/// per routing table, which is exact for any strategy and costs a few milliseconds per ring change.
/// </summary>
internal sealed class RingShares
{
    private const int FirstId = 100_000;
    private const int EndId = 1_000_000;

    private volatile Computed? last;

    public IReadOnlyDictionary<string, double> Of(RoutingTable table)
    {
        var computed = last;
        if (computed is null || !ReferenceEquals(computed.Snapshot, table.Snapshot))
        {
            computed = new Computed(table.Snapshot, Count(table.Snapshot));
            last = computed;
        }

        return computed.Shares;
    }

    private static Dictionary<string, double> Count(IRouteSnapshot snapshot)
    {
        var counts = new long[snapshot.Replicas.Count];
        if (counts.Length > 0)
        {
            for (var id = FirstId; id < EndId; id++)
            {
                var index = snapshot.RouteIndex(id);
                if (index >= 0)
                {
                    counts[index]++;
                }
            }
        }

        var shares = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        for (var index = 0; index < counts.Length; index++)
        {
            shares[snapshot.Replicas[index]] = (double)counts[index] / (EndId - FirstId);
        }

        return shares;
    }

    private sealed record Computed(IRouteSnapshot Snapshot, IReadOnlyDictionary<string, double> Shares);
}
