namespace Balancer.Actors.Routing;

/// <summary>
/// One published state of a <see cref="ConsistentHashMap"/>. A slot -> replica index table is computed
/// once per change, so a lookup is one hash and one array read.
/// </summary>
public sealed class RingSnapshot : IRouteSnapshot
{
    private readonly IHashFunctions hashes;
    private readonly int[] ownerIndexBySlot;
    private readonly VirtualServer[] clockwise;
    private readonly int[] clockwiseReplicaIndexes;

    internal RingSnapshot(RingOptions options, IReadOnlyList<string> replicas, IReadOnlyDictionary<string, int> serverIds,
        IEnumerable<VirtualServer> virtualServers)
    {
        hashes = options.Hashes;
        Replicas = replicas;
        ServerIds = serverIds;
        clockwise = virtualServers.OrderBy(server => server.Slot).ToArray();
        clockwiseReplicaIndexes = IndexReplicas(replicas, clockwise);
        ownerIndexBySlot = BuildOwnerTable(options.Slots, clockwise, clockwiseReplicaIndexes);
    }

    public IReadOnlyList<string> Replicas { get; }

    /// <summary>The server id (i in Φ) of each replica.</summary>
    public IReadOnlyDictionary<string, int> ServerIds { get; }

    /// <summary>Placed virtual servers in clockwise order.</summary>
    public IReadOnlyList<VirtualServer> VirtualServers => clockwise;

    public int Slots => ownerIndexBySlot.Length;

    public int RequestSlot(long requestId) => hashes.RequestSlot(requestId, ownerIndexBySlot.Length);

    public string? Route(long requestId)
    {
        var index = RouteIndex(requestId);
        return index < 0 ? null : Replicas[index];
    }

    public int RouteIndex(long requestId) => ownerIndexBySlot[hashes.RequestSlot(requestId, ownerIndexBySlot.Length)];

    public IReadOnlyList<string> FailoverOrder(long requestId)
    {
        if (clockwise.Length == 0)
        {
            return [];
        }

        var slot = RequestSlot(requestId);
        var start = FirstAtOrAfter(slot);
        var order = new List<string>(Replicas.Count);
        for (var step = 0; step < clockwise.Length && order.Count < Replicas.Count; step++)
        {
            var hostname = clockwise[(start + step) % clockwise.Length].Hostname;
            if (!order.Contains(hostname, StringComparer.OrdinalIgnoreCase))
            {
                order.Add(hostname);
            }
        }

        return order;
    }

    public int FillFailoverOrder(long requestId, Span<int> replicaIndexes) =>
        clockwise.Length == 0
            ? 0
            : DistinctWalk.Fill(clockwiseReplicaIndexes, FirstAtOrAfter(RequestSlot(requestId)), Replicas.Count, replicaIndexes);

    private int FirstAtOrAfter(int slot)
    {
        var low = 0;
        var high = clockwise.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (clockwise[middle].Slot < slot)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low == clockwise.Length ? 0 : low;
    }

    private static int[] IndexReplicas(IReadOnlyList<string> replicas, VirtualServer[] clockwise)
    {
        var indexByName = new Dictionary<string, int>(replicas.Count, StringComparer.OrdinalIgnoreCase);
        for (var index = 0; index < replicas.Count; index++)
        {
            indexByName[replicas[index]] = index;
        }

        return Array.ConvertAll(clockwise, server => indexByName[server.Hostname]);
    }

    private static int[] BuildOwnerTable(int slots, VirtualServer[] clockwise, int[] clockwiseReplicaIndexes)
    {
        var table = new int[slots];
        if (clockwise.Length == 0)
        {
            Array.Fill(table, -1);
            return table;
        }

        // Walk backwards from the last virtual server: each slot belongs to the nearest virtual server at
        // or after it, and slots past the last one wrap to the first.
        var owner = clockwiseReplicaIndexes[0];
        var next = clockwise.Length - 1;
        for (var slot = slots - 1; slot >= 0; slot--)
        {
            if (next >= 0 && clockwise[next].Slot == slot)
            {
                owner = clockwiseReplicaIndexes[next];
                next--;
            }

            table[slot] = owner;
        }

        return table;
    }
}
