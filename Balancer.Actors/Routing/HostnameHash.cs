namespace Balancer.Actors.Routing;

/// <summary>
/// A 64-bit hash of a hostname that is the same in every process and ignores case, as replica names
/// do. <see cref="string.GetHashCode()"/> is randomized per process, so it cannot place replicas.
/// </summary>
internal static class HostnameHash
{
    private const ulong FnvOffset = 0xCBF29CE484222325UL;
    private const ulong FnvPrime = 0x100000001B3UL;

    public static ulong Compute(string hostname, ulong seed)
    {
        // FNV-1a gathers the characters; the SplitMix64 finalizer then spreads every bit, which FNV
        // alone does poorly for short names that differ only in the last character.
        var hash = FnvOffset ^ seed;
        foreach (var character in hostname)
        {
            hash = (hash ^ char.ToUpperInvariant(character)) * FnvPrime;
        }

        return Mix64HashFunctions.Mix(hash + seed);
    }
}
