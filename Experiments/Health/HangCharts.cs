using Experiments.Health.Runs;
using Experiments.Live.Output;

namespace Experiments.Health;

/// <summary>
/// The SIGSTOP before/after as charts and CSV, on one time axis (seconds since the signal): every
/// request's latency by when it started, and requests completed per 200 ms.
/// </summary>
internal static class HangCharts
{
    private static readonly TimeSpan Bucket = TimeSpan.FromMilliseconds(200);

    public static void Write(ResultsFolder results, string prefix, IReadOnlyList<HangRun.Result> runs)
    {
        var victim = string.Join("/", runs.Select(run => run.Victim).Distinct());
        Charts.PointsOverTime(results.PathOf($"{prefix}-latency.png"),
            $"SIGSTOP of the busiest replica ({victim}), {HangRun.Clients} clients: latency of each request",
            "Request started, seconds since the SIGSTOP (s)", "Latency (ms, log scale)",
            runs.Select(run => (run.Configuration,
                run.Outcomes.Select(outcome => (outcome.StartedAt - run.SignalledAt).TotalSeconds).ToArray(),
                run.Outcomes.Select(outcome => (outcome.CompletedAt - outcome.StartedAt).TotalMilliseconds).ToArray())).ToList(),
            Markers(runs));

        var from = -HangRun.SignalAt;
        var count = (int)Math.Ceiling((HangRun.SignalAt + HangRun.After + TimeSpan.FromSeconds(3)) / Bucket);
        var xs = Enumerable.Range(0, count).Select(index => (from + index * Bucket).TotalSeconds).ToArray();
        var series = runs.Select(run =>
        {
            var counts = new double[count];
            foreach (var outcome in run.Outcomes.Where(outcome => !outcome.Failed))
            {
                var index = (int)Math.Floor((outcome.CompletedAt - run.SignalledAt - from) / Bucket);
                if (index >= 0 && index < count)
                {
                    counts[index]++;
                }
            }

            return (run.Configuration, counts);
        }).ToList();
        Charts.Timeline(results.PathOf($"{prefix}-throughput.png"),
            $"SIGSTOP of the busiest replica ({victim}), {HangRun.Clients} clients: requests completed",
            "Seconds since the SIGSTOP (s)", $"Requests completed per {Bucket.TotalMilliseconds:0} ms (count)", xs, series, Markers(runs));
        results.WriteCsv($"{prefix}-throughput.csv", ["since_signal_s", .. runs.Select(run => run.Configuration)],
            Enumerable.Range(0, count).Select(index => (IReadOnlyList<object?>)[xs[index], .. series.Select(line => (object?)line.counts[index])]));
        results.WriteCsv($"{prefix}-requests.csv", ["configuration", "id", "started_since_signal_s", "latency_ms", "status", "replica"],
            runs.SelectMany(run => run.Outcomes.Select(outcome => (IReadOnlyList<object?>)
            [
                run.Configuration, outcome.Id, Math.Round((outcome.StartedAt - run.SignalledAt).TotalSeconds, 4),
                Math.Round((outcome.CompletedAt - outcome.StartedAt).TotalMilliseconds, 2), outcome.Status, outcome.Replica,
            ])));
        results.WriteJson($"{prefix}.json", runs);
    }

    private static List<(string, double)> Markers(IReadOnlyList<HangRun.Result> runs)
    {
        var markers = new List<(string, double)> { ($"SIGSTOP of {runs[0].Victim}", 0) };
        foreach (var run in runs.Where(run => run.DeclaredDeadAfterMs is not null))
        {
            markers.Add(($"gone from /rep, {run.Configuration} (+{run.DeclaredDeadAfterMs:0} ms)", run.DeclaredDeadAfterMs!.Value / 1000));
        }

        return markers;
    }
}
