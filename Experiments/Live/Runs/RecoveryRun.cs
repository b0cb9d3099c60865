using System.Diagnostics;
using Experiments.Analysis;
using Experiments.Live.Balancers;
using Experiments.Live.Load;
using Experiments.Live.Output;

namespace Experiments.Live.Runs;

/// <summary>
/// A-3, second half: a replica is killed under steady load. The timeline shows requests per 100 ms
/// by replica; /rep is polled to time the detection (victim no longer listed) and the replacement.
/// </summary>
internal static class RecoveryRun
{
    private const int RequestsPerSecond = 400;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KillAt = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(20);

    public sealed record Timing(string Victim, string? Replacement, double KillAtSeconds, double? DetectedAfterMs,
        double? ReplacementListedAfterMs, double? ReplacementFirstServedAfterMs, int Requests, int Failed, int FailedAfterKill);

    public static async Task<Timing> RunAsync(ExperimentContext context, IBalancerTarget target)
    {
        var api = target.Api;
        var before = await Scaling.ScaleToAsync(api, 3);
        var victim = before[0];
        var clock = Stopwatch.StartNew();
        var ids = RequestIds.Random(context.Options.Seed + 3, (int)(RequestsPerSecond * Duration.TotalSeconds));
        var load = ProgressDisplay.RunAsync($"A-3 steady load, kill {victim}", ids.Length, tick =>
            context.Load.RunAsync(api, ids, Duration, clock, RequestsPerSecond, tick));

        await Task.Delay(KillAt);
        var killedAt = clock.Elapsed;
        await target.KillReplicaAsync(victim, CancellationToken.None);
        var (detectedAt, replacement, listedAt) = await WatchAsync(api, victim, before, clock);
        var outcomes = await load;

        var firstServed = replacement is null
            ? (TimeSpan?)null
            : outcomes.Where(outcome => string.Equals(outcome.Replica, replacement, StringComparison.OrdinalIgnoreCase))
                .Select(outcome => (TimeSpan?)outcome.CompletedAt).Min();
        var timing = new Timing(victim, replacement, killedAt.TotalSeconds, Since(killedAt, detectedAt), Since(killedAt, listedAt),
            Since(killedAt, firstServed), outcomes.Count, outcomes.Count(outcome => outcome.Failed),
            outcomes.Count(outcome => outcome.Failed && outcome.StartedAt >= killedAt));
        Write(context, target, outcomes, timing, killedAt, detectedAt, listedAt);
        return timing;
    }

    /// <summary>Polls /rep until the victim is gone and a new name has joined, or the run is over.</summary>
    private static async Task<(TimeSpan? Detected, string? Replacement, TimeSpan? Listed)> WatchAsync(
        BalancerApi api, string victim, IReadOnlyList<string> before, Stopwatch clock)
    {
        TimeSpan? detected = null;
        TimeSpan? listed = null;
        string? replacement = null;
        while (clock.Elapsed < Duration && (detected is null || listed is null))
        {
            IReadOnlyList<string> now;
            try
            {
                now = (await api.ListAsync()).Replicas;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(PollEvery);
                continue;
            }

            detected ??= now.Contains(victim, StringComparer.OrdinalIgnoreCase) ? null : clock.Elapsed;
            if (listed is null && now.FirstOrDefault(name => !before.Contains(name, StringComparer.OrdinalIgnoreCase)) is { } fresh)
            {
                (replacement, listed) = (fresh, clock.Elapsed);
            }

            await Task.Delay(PollEvery);
        }

        return (detected, replacement, listed);
    }

    private static double? Since(TimeSpan from, TimeSpan? to) => to is { } at ? Math.Round((at - from).TotalMilliseconds) : null;

    private static void Write(ExperimentContext context, IBalancerTarget target, IReadOnlyList<RequestOutcome> outcomes, Timing timing,
        TimeSpan killedAt, TimeSpan? detectedAt, TimeSpan? listedAt)
    {
        var buckets = IntervalCounts.Bucket(outcomes.Select(outcome => (outcome.CompletedAt, outcome.Replica)), Interval);
        var xs = Enumerable.Range(0, buckets.IntervalCount).Select(interval => buckets.Start(interval).TotalSeconds).ToArray();
        var series = buckets.Replicas.Select((replica, row) => (replica, buckets.Served[row].Select(count => (double)count).ToArray()))
            .Append(("failed", buckets.Failed.Select(count => (double)count).ToArray())).ToList();
        var markers = new List<(string, double)> { ($"SIGKILL {timing.Victim}", killedAt.TotalSeconds) };
        if (detectedAt is { } detected)
        {
            markers.Add(($"{timing.Victim} gone from /rep (+{timing.DetectedAfterMs} ms)", detected.TotalSeconds));
        }

        if (listedAt is { } listed)
        {
            markers.Add(($"{timing.Replacement} listed (+{timing.ReplacementListedAfterMs} ms)", listed.TotalSeconds));
        }

        Charts.Timeline(context.Results.PathOf("a3-recovery.png"),
            $"A-3: {RequestsPerSecond} req/s, replica {timing.Victim} killed at {timing.KillAtSeconds:F1} s",
            "Time since start of load (s)", $"Requests completed per {Interval.TotalMilliseconds:0} ms (count)", xs, series, markers);
        context.Results.WriteCsv("a3-recovery-timeline.csv", ["interval_start_s", .. buckets.Replicas, "failed"],
            Enumerable.Range(0, buckets.IntervalCount).Select(interval => (IReadOnlyList<object?>)
                [xs[interval], .. buckets.Served.Select(row => (object?)row[interval]), buckets.Failed[interval]]));
        context.Results.WriteJson("a3-recovery.json", timing);

        context.Results.AddSection("A-3: a replica killed under load", [
            $"Target: {target.Description}. Steady load {RequestsPerSecond} req/s for {Duration.TotalSeconds:0} s, concurrency {context.Load.Concurrency}; "
            + $"/rep polled every {PollEvery.TotalMilliseconds:0} ms.",
            "",
            .. ResultsFolder.Table(["Measure", "Value"], [
                ["killed replica", timing.Victim],
                ["kill at", $"{timing.KillAtSeconds:F2} s"],
                ["detection: victim gone from /rep", $"{timing.DetectedAfterMs} ms after the kill"],
                ["replacement", timing.Replacement ?? "none seen"],
                ["replacement listed in /rep", $"{timing.ReplacementListedAfterMs} ms after the kill"],
                ["replacement's first served request", $"{timing.ReplacementFirstServedAfterMs} ms after the kill"],
                ["requests sent", timing.Requests],
                ["failed requests (all / started after the kill)", $"{timing.Failed} / {timing.FailedAfterKill}"],
            ]),
        ]);
        context.Highlights.Add(("A-3", "detection / replacement listed / first served",
            $"{timing.DetectedAfterMs} / {timing.ReplacementListedAfterMs} / {timing.ReplacementFirstServedAfterMs} ms"));
        context.Highlights.Add(("A-3", "failed requests", $"{timing.Failed} of {timing.Requests}"));
    }
}
