namespace Balancer.Actors.Routing;

/// <summary>
/// Maglev hashing: a prime-sized lookup table rebuilt on every change and published as an immutable
/// <see cref="MaglevSnapshot"/>. Shares are within one entry of M/N; a change moves the leaving or
/// joining replica's entries plus a small number of others. Not thread-safe: one writer, many readers.
/// </summary>
public sealed class MaglevMap : IReplicaMap
{
    public const int DefaultTableSize = 65537;

    private readonly List<string> joinOrder = [];
    private readonly Dictionary<string, int> serverIdByName = new(StringComparer.OrdinalIgnoreCase);
    private readonly ServerIdPool serverIds = new();

    public MaglevMap(int tableSize = DefaultTableSize)
    {
        RoutingOptions.ValidateMaglevTableSize(tableSize);
        TableSize = tableSize;
        Current = new MaglevSnapshot([], tableSize);
    }

    public int TableSize { get; }

    public MaglevSnapshot Current { get; private set; }

    IRouteSnapshot IReplicaMap.Current => Current;

    public int Add(string hostname) => Place(hostname, null);

    /// <summary>Maglev's table depends on the names in join order only; the id is kept for the replica's record.</summary>
    public int Add(string hostname, int serverId) => Place(hostname, serverId);

    private int Place(string hostname, int? givenServerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostname);
        if (serverIdByName.ContainsKey(hostname))
        {
            throw new ArgumentException($"Replica '{hostname}' is already in the Maglev table.", nameof(hostname));
        }

        if (joinOrder.Count + 1 > TableSize)
        {
            throw new RingFullException(
                $"The Maglev table is full: {joinOrder.Count + 1} replicas need more than its {TableSize} entries.");
        }

        var serverId = givenServerId is { } given ? serverIds.Take(given) : serverIds.Take();
        serverIdByName.Add(hostname, serverId);
        joinOrder.Add(hostname);
        Current = new MaglevSnapshot(joinOrder.ToArray(), TableSize);
        return serverId;
    }

    public bool Remove(string hostname)
    {
        if (!serverIdByName.Remove(hostname, out var serverId))
        {
            return false;
        }

        serverIds.Release(serverId);
        joinOrder.RemoveAll(name => string.Equals(name, hostname, StringComparison.OrdinalIgnoreCase));
        Current = new MaglevSnapshot(joinOrder.ToArray(), TableSize);
        return true;
    }
}
