using Experiments.Live.Output;

namespace Experiments.Live.Runs;

/// <summary>A-2: N = 2..6, 10,000 requests each; the mean load per replica with its min and max.</summary>
internal static class ScalingRun
{
    public static readonly int[] ReplicaCounts = [2, 3, 4, 5, 6];

    public static async Task RunAsync(ExperimentContext context, BalancerApi api)
    {
        var points = new List<LoadPoint>();
        foreach (var n in ReplicaCounts)
        {
            points.Add(await LoadPoint.MeasureAsync(context, api, n, context.Options.Seed + 10 + n, "A-2"));
        }

        // Leave the balancer at the spec's N=3, as the later experiments expect.
        await Scaling.ScaleToAsync(api, 3);

        var rows = points.Select(point => (IReadOnlyList<object?>)[point.N, point.Summary.Min, point.Summary.Mean, point.Summary.Max,
            point.Summary.MaxOverMean, point.Failed, string.Join(" ", point.Replicas.Select(replica => $"{replica}:{point.Counts.GetValueOrDefault(replica)}"))]).ToList();
        string[] header = ["N", "min", "mean", "max", "max/mean", "failed", "per replica"];
        context.Results.WriteCsv("a2-scaling.csv", header, rows);
        Charts.Lines(context.Results.PathOf("a2-scaling.png"),
            "A-2: load per replica for N = 2..6 (10,000 requests each, spec H, Φ)", "Replicas N", "Requests per replica (count)",
            ReplicaCounts.Select(n => (double)n).ToArray(),
            [
                ("max", points.Select(point => (double)point.Summary.Max).ToArray()),
                ("mean (average load)", points.Select(point => point.Summary.Mean).ToArray()),
                ("min", points.Select(point => (double)point.Summary.Min).ToArray()),
            ]);
        context.Results.AddSection("A-2: load per replica for N = 2..6", [
            $"Seeds {context.Options.Seed + 12}..{context.Options.Seed + 16} (seed + 10 + N); concurrency {context.Load.Concurrency}.",
            "",
            .. ResultsFolder.Table(header, rows.Select(row => row.Select(value => value is double number ? (object)number.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : value).ToList())),
        ]);
        foreach (var point in points)
        {
            context.Highlights.Add(("A-2", $"N={point.N} min/mean/max", $"{point.Summary.Min} / {point.Summary.Mean:F0} / {point.Summary.Max} (max/mean {point.Summary.MaxOverMean:F2})"));
        }
    }
}
