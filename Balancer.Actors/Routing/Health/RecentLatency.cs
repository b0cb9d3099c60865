using System.Numerics;

namespace Balancer.Actors.Routing.Health;

/// <summary>
/// A replica's recent answer times as a histogram with two buckets per power of two (each bucket's upper
/// bound at most 1.5 times its lower), in two alternating windows: recording is one interlocked increment,
/// and the p99 over the last two windows is computed once per window, by whichever request closes it.
/// </summary>
internal sealed class RecentLatency
{
    private const int Buckets = 64;

    private readonly long[][] windows = [new long[Buckets], new long[Buckets]];
    private readonly long windowLength;
    private int active;
    private long windowEnd;

    /// <param name="windowLength">The length of one window in timestamp units.</param>
    /// <param name="now">The timestamp the first window starts at.</param>
    public RecentLatency(long windowLength, long now)
    {
        this.windowLength = windowLength;
        windowEnd = now + windowLength;
    }

    public void Add(TimeSpan latency) => Interlocked.Increment(ref windows[Volatile.Read(ref active)][BucketOf(latency)]);

    /// <summary>
    /// Closes the window when its time is up (one caller wins) and gives the p99 of the last two windows
    /// when they hold at least <paramref name="minSamples"/> answers.
    /// </summary>
    public bool TryCloseWindow(long now, int minSamples, out TimeSpan p99)
    {
        p99 = default;
        var end = Volatile.Read(ref windowEnd);
        if (now < end || Interlocked.CompareExchange(ref windowEnd, now + windowLength, end) != end)
        {
            return false;
        }

        var current = windows[active];
        var previous = windows[1 - active];
        // A window that ended long before this one began is not recent: traffic paused in between.
        if (now - end >= windowLength)
        {
            Array.Clear(previous);
        }

        var estimated = TryMerge(current, previous, minSamples, out p99);
        Array.Clear(previous);
        Volatile.Write(ref active, 1 - active);
        return estimated;
    }

    /// <summary>
    /// The p99 of what the windows hold now, without closing one, when they hold at least
    /// <paramref name="minSamples"/> answers: a replica's first estimate need not wait for its window to end.
    /// </summary>
    public bool TryEstimate(int minSamples, out TimeSpan p99) =>
        TryMerge(windows[Volatile.Read(ref active)], windows[1 - Volatile.Read(ref active)], minSamples, out p99);

    private static bool TryMerge(long[] current, long[] previous, int minSamples, out TimeSpan p99)
    {
        p99 = default;
        Span<long> merged = stackalloc long[Buckets];
        long total = 0;
        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            merged[bucket] = Volatile.Read(ref current[bucket]) + Volatile.Read(ref previous[bucket]);
            total += merged[bucket];
        }

        if (total < minSamples)
        {
            return false;
        }

        p99 = Percentile(merged, total, 0.99);
        return true;
    }

    /// <summary>The upper bound of the bucket that holds the <paramref name="quantile"/> of <paramref name="counts"/>.</summary>
    internal static TimeSpan Percentile(ReadOnlySpan<long> counts, long total, double quantile)
    {
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var bucket = 0; bucket < counts.Length; bucket++)
        {
            seen += counts[bucket];
            if (seen >= rank)
            {
                return UpperBound(bucket);
            }
        }

        return UpperBound(counts.Length - 1);
    }

    /// <summary>Buckets by microseconds: [2^k, 1.5 x 2^k) is 2k, [1.5 x 2^k, 2^(k+1)) is 2k + 1.</summary>
    internal static int BucketOf(TimeSpan latency)
    {
        var micros = (ulong)Math.Max(1, latency.Ticks / TimeSpan.TicksPerMicrosecond);
        var power = BitOperations.Log2(micros);
        var upperHalf = power == 0 ? 0 : (int)((micros >> (power - 1)) & 1);
        return Math.Min(2 * power + upperHalf, Buckets - 1);
    }

    internal static TimeSpan UpperBound(int bucket)
    {
        var power = bucket / 2;
        var micros = bucket % 2 == 0 ? 3L << power >> 1 : 1L << (power + 1);
        return TimeSpan.FromMicroseconds(Math.Max(micros, 1));
    }
}
