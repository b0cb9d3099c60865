namespace Balancer.Actors.Routing;

/// <summary>
/// A well-mixed pair built on the SplitMix64 finalizer (Stafford's Mix13): every input bit affects
/// every output bit, so consecutive ids and consecutive (i, j) spread over the whole ring, unlike the
/// spec's quadratics, which reach only a fraction of the slots.
/// </summary>
public sealed class Mix64HashFunctions : IHashFunctions
{
    public const string HashName = "mix64";

    // Distinct odd constants keep the request and virtual-server spaces independent.
    private const ulong RequestSeed = 0x9E3779B97F4A7C15UL;
    private const ulong ServerSeed = 0xD1B54A32D192ED03UL;

    public static Mix64HashFunctions Instance { get; } = new();

    public string Name => HashName;

    public int RequestSlot(long requestId, int slots) =>
        (int)(Mix((ulong)requestId + RequestSeed) % (ulong)slots);

    public int VirtualServerSlot(int serverId, int virtualIndex, int slots)
    {
        var key = ((ulong)(uint)serverId << 32) | (uint)virtualIndex;
        return (int)(Mix(key + ServerSeed) % (ulong)slots);
    }

    internal static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
