namespace Balancer.Actors.Routing;

/// <summary>
/// Walks a circular table of replica indexes from a start position and keeps the first occurrence of
/// each replica: the clockwise failover order of both the ring and the Maglev table.
/// </summary>
internal static class DistinctWalk
{
    /// <summary>Up to this many replicas the visited set lives on the stack.</summary>
    public const int StackReplicaLimit = 64 * 64;

    public static int Fill(ReadOnlySpan<int> circle, int start, int replicaCount, Span<int> destination)
    {
        var wanted = Math.Min(destination.Length, replicaCount);
        if (wanted == 0 || circle.Length == 0)
        {
            return 0;
        }

        var words = (replicaCount + 63) / 64;
        var visited = words <= 64 ? stackalloc ulong[words] : new ulong[words];
        var written = 0;
        for (var step = 0; step < circle.Length && written < wanted; step++)
        {
            var position = start + step;
            var replica = circle[position >= circle.Length ? position - circle.Length : position];
            ref var word = ref visited[replica >> 6];
            var bit = 1UL << (replica & 63);
            if ((word & bit) == 0)
            {
                word |= bit;
                destination[written++] = replica;
            }
        }

        return written;
    }
}
