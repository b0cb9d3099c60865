namespace Balancer.Actors.Routing;

/// <summary>
/// The assignment's pair: H(i) = i² + 2i + 17 and Φ(i, j) = i² + j² + 2j + 25, slot = value mod M.
/// Arguments are reduced mod M first; that keeps the arithmetic inside a long for any id a client
/// can send (negative ones included) and gives exactly the value the formula has mod M.
/// </summary>
public sealed class SpecHashFunctions : IHashFunctions
{
    public const string HashName = "spec";

    public static SpecHashFunctions Instance { get; } = new();

    public string Name => HashName;

    public int RequestSlot(long requestId, int slots)
    {
        long i = SlotMath.Reduce(requestId, slots);
        return (int)((i * i + 2 * i + 17) % slots);
    }

    public int VirtualServerSlot(int serverId, int virtualIndex, int slots)
    {
        long i = SlotMath.Reduce(serverId, slots);
        long j = SlotMath.Reduce(virtualIndex, slots);
        return (int)((i * i + j * j + 2 * j + 25) % slots);
    }
}
