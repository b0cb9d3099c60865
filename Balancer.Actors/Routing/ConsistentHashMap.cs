namespace Balancer.Actors.Routing;

/// <summary>
/// The assignment's consistent hash map: M slots, K virtual servers per replica placed by Φ with
/// probing on conflicts, requests placed by H and served by the first virtual server clockwise.
/// </summary>
/// <remarks>
/// Placed virtual servers never move. A virtual server that probed past a taken slot keeps its place
/// when the slot's owner leaves, so the layout depends on the order of changes, and the same sequence
/// of changes always gives the same layout. Not thread-safe: one writer, many snapshot readers.
/// </remarks>
public sealed class ConsistentHashMap : IReplicaMap
{
    private readonly RingOptions options;
    private readonly string?[] occupant;
    private readonly List<string> joinOrder = [];
    private readonly Dictionary<string, Placement> placements = new(StringComparer.OrdinalIgnoreCase);
    private readonly ServerIdPool serverIds = new();
    private int occupiedSlots;

    public ConsistentHashMap(RingOptions? options = null)
    {
        this.options = options ?? new RingOptions();
        this.options.Validate();
        occupant = new string?[this.options.Slots];
        Current = Publish();
    }

    public RingOptions Options => options;

    public RingSnapshot Current { get; private set; }

    IRouteSnapshot IReplicaMap.Current => Current;

    public int Add(string hostname) => Place(hostname, null);

    public int Add(string hostname, int serverId) => Place(hostname, serverId);

    private int Place(string hostname, int? givenServerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostname);
        if (placements.ContainsKey(hostname))
        {
            throw new ArgumentException($"Replica '{hostname}' is already in the ring.", nameof(hostname));
        }

        var needed = options.VirtualServersPerReplica;
        if (occupiedSlots + needed > options.Slots)
        {
            throw new RingFullException(
                $"The ring is full: {joinOrder.Count + 1} replicas x {needed} virtual servers need more than {options.Slots} slots.");
        }

        var serverId = givenServerId is { } given ? serverIds.Take(given) : serverIds.Take();
        var virtualServers = new VirtualServer[needed];
        for (var j = 0; j < needed; j++)
        {
            var slot = FindFreeSlot(options.Hashes.VirtualServerSlot(serverId, j, options.Slots));
            occupant[slot] = hostname;
            virtualServers[j] = new VirtualServer(slot, hostname, serverId, j);
        }

        occupiedSlots += needed;
        placements.Add(hostname, new Placement(serverId, virtualServers));
        joinOrder.Add(hostname);
        Current = Publish();
        return serverId;
    }

    public bool Remove(string hostname)
    {
        if (!placements.Remove(hostname, out var placement))
        {
            return false;
        }

        foreach (var virtualServer in placement.VirtualServers)
        {
            occupant[virtualServer.Slot] = null;
        }

        occupiedSlots -= placement.VirtualServers.Length;
        serverIds.Release(placement.ServerId);
        joinOrder.RemoveAll(name => string.Equals(name, hostname, StringComparison.OrdinalIgnoreCase));
        Current = Publish();
        return true;
    }

    private int FindFreeSlot(int home)
    {
        var slots = options.Slots;
        if (options.Probing == ProbingPolicy.Quadratic)
        {
            // Triangular offsets t(t+1)/2, kept reduced mod M as they grow.
            var offset = 0L;
            for (var t = 0; t < slots; t++)
            {
                offset = (offset + t) % slots;
                var slot = (int)((home + offset) % slots);
                if (occupant[slot] is null)
                {
                    return slot;
                }
            }
        }

        for (var t = 0; t < slots; t++)
        {
            var slot = (int)((home + (long)t) % slots);
            if (occupant[slot] is null)
            {
                return slot;
            }
        }

        // Unreachable: Add checked that enough slots are free.
        throw new RingFullException("No free slot is left in the ring.");
    }

    private RingSnapshot Publish() =>
        new(options,
            joinOrder.ToArray(),
            placements.ToDictionary(pair => pair.Key, pair => pair.Value.ServerId, StringComparer.OrdinalIgnoreCase),
            placements.Values.SelectMany(placement => placement.VirtualServers));

    private sealed record Placement(int ServerId, VirtualServer[] VirtualServers);
}
