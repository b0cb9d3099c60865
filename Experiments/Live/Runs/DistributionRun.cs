using Experiments.Live.Output;

namespace Experiments.Live.Runs;

/// <summary>A-1: 10,000 requests at N=3; a bar chart of the requests each replica served.</summary>
internal static class DistributionRun
{
    public static async Task RunAsync(ExperimentContext context, BalancerApi api)
    {
        var seed = context.Options.Seed + 1;
        var point = await LoadPoint.MeasureAsync(context, api, 3, seed, "A-1");
        var counts = point.Replicas.Select(replica => (double)point.Counts.GetValueOrDefault(replica)).ToArray();
        var summary = point.Summary;

        context.Results.WriteCsv("a1-distribution.csv", ["replica", "requests"],
            point.Replicas.Select(replica => (IReadOnlyList<object?>)[replica, point.Counts.GetValueOrDefault(replica)])
                .Append(["failed", point.Failed]));
        Charts.GroupedBars(context.Results.PathOf("a1-distribution.png"),
            $"A-1: {point.Outcomes.Count:N0} requests over N=3 replicas (spec H, Φ; M=512, K=9)",
            "Replica", "Requests served (count)", point.Replicas, [("requests served", counts)]);

        context.Results.AddSection("A-1: requests per replica at N=3", [
            $"Seed {seed}; {point.Outcomes.Count} requests, concurrency {context.Load.Concurrency}, {point.Failed} failed.",
            "",
            .. ResultsFolder.Table(["Replica", "Requests", "Share"],
                point.Replicas.Select(replica => (IReadOnlyList<object?>)[replica, point.Counts.GetValueOrDefault(replica),
                    $"{100.0 * point.Counts.GetValueOrDefault(replica) / point.Outcomes.Count:F1}%"])),
            "",
            $"max/mean = {summary.MaxOverMean:F3} (min {summary.Min}, mean {summary.Mean:F0}, max {summary.Max}).",
        ]);
        context.Highlights.Add(("A-1", "requests per replica", string.Join(", ", point.Replicas.Select(replica => $"{replica}={point.Counts.GetValueOrDefault(replica)}"))));
        context.Highlights.Add(("A-1", "max/mean", $"{summary.MaxOverMean:F3}"));
    }
}
