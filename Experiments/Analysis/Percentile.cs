namespace Experiments.Analysis;

/// <summary>Nearest-rank percentiles of measured values (latencies in ms).</summary>
public static class Percentile
{
    /// <summary>The smallest value with at least <paramref name="fraction"/> of the values at or below it; null for none.</summary>
    public static double? Of(IEnumerable<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
