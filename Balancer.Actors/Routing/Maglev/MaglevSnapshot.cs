namespace Balancer.Actors.Routing;

/// <summary>
/// One published state of a <see cref="MaglevMap"/>: a request hashes to a table entry, and the entry
/// names its replica, so a lookup is one hash and two array reads.
/// </summary>
public sealed class MaglevSnapshot : IRouteSnapshot
{
    private readonly string[] replicas;
    private readonly int[] table;

    internal MaglevSnapshot(string[] replicas, int tableSize)
    {
        this.replicas = replicas;
        TableSize = tableSize;
        table = MaglevTable.Build(replicas, tableSize);
    }

    public IReadOnlyList<string> Replicas => replicas;

    /// <summary>M, the number of entries in the lookup table.</summary>
    public int TableSize { get; }

    /// <summary>The replica index (into <see cref="Replicas"/>) each table entry holds.</summary>
    public ReadOnlySpan<int> Entries => table;

    public int Entry(long requestId) => Mix64HashFunctions.Instance.RequestSlot(requestId, TableSize);

    public string? Route(long requestId) => table.Length == 0 ? null : replicas[table[Entry(requestId)]];

    public int RouteIndex(long requestId) => table.Length == 0 ? -1 : table[Entry(requestId)];

    /// <remarks>
    /// The routed replica, then the replicas of the following entries in table order: deterministic for a
    /// request, and spread differently for different requests, so a failed replica's load scatters.
    /// </remarks>
    public IReadOnlyList<string> FailoverOrder(long requestId)
    {
        var indexes = new int[replicas.Length];
        var count = FillFailoverOrder(requestId, indexes);
        return Array.ConvertAll(indexes[..count], index => replicas[index]);
    }

    public int FillFailoverOrder(long requestId, Span<int> replicaIndexes) =>
        table.Length == 0 ? 0 : DistinctWalk.Fill(table, Entry(requestId), replicas.Length, replicaIndexes);
}
