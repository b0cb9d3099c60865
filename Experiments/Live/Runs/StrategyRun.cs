using Experiments.Analysis;
using Experiments.Live.Balancers;
using Experiments.Live.Output;

namespace Experiments.Live.Runs;

/// <summary>
/// the spec's H and Φ against every other strategy, one embedded balancer per configuration
/// (chosen by command-line settings). The same seeded ids go to every configuration, so the runs differ
/// only by the strategy. Moved ids: the N=3 ids again after /add of S4, and again after /rm of S4.
/// </summary>
internal static class StrategyRun
{
    public sealed record Strategy(string Label, string[] Settings);

    public static readonly Strategy[] Strategies =
    [
        new("spec", ["--Balancer:Routing:Strategy=spec"]),
        new("ring (mix64)", ["--Balancer:Routing:Strategy=ring"]),
        new("maglev", ["--Balancer:Routing:Strategy=maglev"]),
        new("spec + bounded c=1.25", ["--Balancer:Routing:Strategy=spec", "--Balancer:Routing:BalanceFactor=1.25"]),
        new("ring + bounded c=1.25", ["--Balancer:Routing:Strategy=ring", "--Balancer:Routing:BalanceFactor=1.25"]),
    ];

    public sealed record Result(string Strategy, IReadOnlyList<LoadPoint> Points, double MovedOnAdd, double MovedOnRemove, double AddedShare)
    {
        public LoadPoint AtThree => Points.Single(point => point.N == 3);
    }

    public static async Task RunAsync(ExperimentContext context)
    {
        var results = new List<Result>();
        foreach (var strategy in Strategies)
        {
            await using var balancer = await ExperimentBalancer.StartAsync(2, strategy.Settings, strategy.Label);
            results.Add(await MeasureAsync(context, balancer.Api, strategy.Label));
        }

        Write(context, results);
    }

    private static async Task<Result> MeasureAsync(ExperimentContext context, BalancerApi api, string label)
    {
        var seed = context.Options.Seed + 4;
        var points = new List<LoadPoint>
        {
            await LoadPoint.MeasureAsync(context, api, 2, seed, $"A-4 {label}"),
            await LoadPoint.MeasureAsync(context, api, 3, seed, $"A-4 {label}"),
            await LoadPoint.MeasureAsync(context, api, 4, seed, $"A-4 {label}"),
        };
        // Back to N=3 by removing the replica just added (S4), with the same ids once more.
        var removed = await LoadPoint.MeasureAsync(context, api, 3, seed, $"A-4 {label} after /rm");
        points.Add(await LoadPoint.MeasureAsync(context, api, 5, seed, $"A-4 {label}"));
        points.Add(await LoadPoint.MeasureAsync(context, api, 6, seed, $"A-4 {label}"));

        var atThree = points[1].ByRequestId;
        var atFour = points[2].ByRequestId;
        var added = points[2].Replicas.Except(points[1].Replicas, StringComparer.OrdinalIgnoreCase).Single();
        var addedShare = (double)atFour.Values.Count(replica => string.Equals(replica, added, StringComparison.OrdinalIgnoreCase)) / atFour.Count;
        return new Result(label, points, MovedIds.Fraction(atThree, atFour), MovedIds.Fraction(atFour, removed.ByRequestId), addedShare);
    }

    private static void Write(ExperimentContext context, IReadOnlyList<Result> results)
    {
        var replicasAtThree = results[0].AtThree.Replicas;
        Charts.GroupedBars(context.Results.PathOf("a4-distribution.png"),
            "A-4: requests per replica at N=3 (10,000 requests, same ids) by strategy", "Strategy", "Requests served (count)",
            results.Select(result => result.Strategy).ToArray(),
            replicasAtThree.Select(replica => (replica, results.Select(result => (double)result.AtThree.Counts.GetValueOrDefault(replica)).ToArray())).ToList());
        var ns = ScalingRun.ReplicaCounts.Select(n => (double)n).ToArray();
        Charts.Lines(context.Results.PathOf("a4-scaling.png"),
            "A-4: busiest replica over the mean, N = 2..6 (1 = perfectly even)", "Replicas N", "max/mean load (ratio)", ns,
            results.Select(result => (result.Strategy, result.Points.Select(point => point.Summary.MaxOverMean).ToArray())).ToList(),
            ScottPlot.Alignment.UpperLeft);

        context.Results.WriteCsv("a4-strategies.csv", ["strategy", "N", "min", "mean", "max", "max_over_mean", "failed", "per_replica"],
            results.SelectMany(result => result.Points.Select(point => (IReadOnlyList<object?>)[result.Strategy, point.N, point.Summary.Min,
                point.Summary.Mean, point.Summary.Max, point.Summary.MaxOverMean, point.Failed,
                string.Join(" ", point.Replicas.Select(replica => $"{replica}:{point.Counts.GetValueOrDefault(replica)}"))])));
        string[] header = ["Strategy", "A-1 at N=3", .. ScalingRun.ReplicaCounts.Select(n => $"max/mean N={n}"), "moved on /add S4 (S4's share)", "moved on /rm S4"];
        var rows = results.Select(result => (IReadOnlyList<object?>)[
            result.Strategy,
            string.Join(" / ", result.AtThree.Replicas.Select(replica => result.AtThree.Counts.GetValueOrDefault(replica))),
            .. result.Points.Select(point => (object?)point.Summary.MaxOverMean.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)),
            $"{100 * result.MovedOnAdd:F1}% ({100 * result.AddedShare:F1}%)",
            $"{100 * result.MovedOnRemove:F1}%",
        ]).ToList();
        context.Results.WriteCsv("a4-moved.csv", ["strategy", "moved_on_add", "added_share", "moved_on_remove"],
            results.Select(result => (IReadOnlyList<object?>)[result.Strategy, result.MovedOnAdd, result.AddedShare, result.MovedOnRemove]));
        context.Results.AddSection("A-4: strategies side by side", [
            $"One embedded balancer per strategy, started at N=2 and scaled through /add and /rm; every run sends the same 10,000 ids (seed {context.Options.Seed + 4}), concurrency {context.Load.Concurrency}.",
            "",
            .. ResultsFolder.Table(header, rows),
        ]);
        foreach (var result in results)
        {
            context.Highlights.Add(("A-4", result.Strategy,
                $"N=3 max/mean {result.AtThree.Summary.MaxOverMean:F3}; moved add {100 * result.MovedOnAdd:F1}% / rm {100 * result.MovedOnRemove:F1}%"));
        }
    }
}
