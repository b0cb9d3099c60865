namespace Balancer.Web.Metrics;

/// <summary>
/// Fixed exponential latency buckets (0.1 ms to about 27 s, 8 per doubling: about 9 % wide), filled with
/// interlocked increments by request threads, so the status page's percentiles cost a request no lock.
/// A percentile over a window is read from the difference of two copies.
/// </summary>
internal static class LatencyBuckets
{
    private const double SmallestSeconds = 0.0001;
    private const int PerDoubling = 8;

    public const int Count = 18 * PerDoubling;

    public static int IndexOf(double seconds)
    {
        if (!(seconds > SmallestSeconds))
        {
            return 0;
        }

        var index = (int)Math.Ceiling(Math.Log2(seconds / SmallestSeconds) * PerDoubling);
        return Math.Min(index, Count - 1);
    }

    /// <summary>The upper bound of a bucket, in seconds.</summary>
    public static double UpperBound(int index) => SmallestSeconds * Math.Pow(2, (double)index / PerDoubling);

    /// <summary>The upper bound of the bucket that holds the <paramref name="quantile"/> of the counts; null without counts.</summary>
    public static double? Quantile(ReadOnlySpan<long> counts, double quantile)
    {
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var index = 0; index < counts.Length; index++)
        {
            seen += counts[index];
            if (seen >= rank)
            {
                return UpperBound(index);
            }
        }

        return UpperBound(counts.Length - 1);
    }
}
