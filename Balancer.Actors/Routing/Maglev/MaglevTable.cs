namespace Balancer.Actors.Routing;

/// <summary>
/// Fills a Maglev lookup table (Eisenbud et al., NSDI 2016): every replica walks its own permutation
/// of the entries, offset + k x skip mod M, and the replicas take turns claiming their next free entry
/// until the table is full. Each replica ends up with floor(M/N) or ceil(M/N) entries.
/// </summary>
internal static class MaglevTable
{
    // Independent seeds so offset and skip are unrelated hashes of the same hostname.
    private const ulong OffsetSeed = 0x6A09E667F3BCC909UL;
    private const ulong SkipSeed = 0xBB67AE8584CAA73BUL;

    /// <param name="replicas">Hostnames; the result holds indexes into this list.</param>
    /// <param name="size">M, prime, so that every skip in [1, M) visits every entry.</param>
    public static int[] Build(IReadOnlyList<string> replicas, int size)
    {
        var table = new int[replicas.Count == 0 ? 0 : size];
        if (replicas.Count == 0)
        {
            return table;
        }

        Array.Fill(table, -1);
        // The turn order is the sorted hostnames, not the join order, so the table depends only on the
        // set of replicas: the same set always gives the same table.
        var turns = Enumerable.Range(0, replicas.Count)
            .OrderBy(index => replicas[index].ToUpperInvariant(), StringComparer.Ordinal)
            .ToArray();
        var position = new long[turns.Length];
        var skip = new long[turns.Length];
        for (var turn = 0; turn < turns.Length; turn++)
        {
            var hostname = replicas[turns[turn]];
            position[turn] = (long)(HostnameHash.Compute(hostname, OffsetSeed) % (ulong)size);
            skip[turn] = (long)(HostnameHash.Compute(hostname, SkipSeed) % (ulong)(size - 1)) + 1;
        }

        var filled = 0;
        while (true)
        {
            for (var turn = 0; turn < turns.Length; turn++)
            {
                var entry = position[turn];
                while (table[entry] >= 0)
                {
                    entry = Advance(entry, skip[turn], size);
                }

                table[entry] = turns[turn];
                position[turn] = Advance(entry, skip[turn], size);
                if (++filled == size)
                {
                    return table;
                }
            }
        }
    }

    private static long Advance(long entry, long skip, int size)
    {
        var next = entry + skip;
        return next >= size ? next - size : next;
    }
}
