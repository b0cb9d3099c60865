using System.Diagnostics;
using Experiments.Faults;
using Experiments.Live.Balancers;
using Experiments.Live.Load;

namespace Experiments.Health.Runs;

/// <summary>
/// A replica that passes every heartbeat but answers 500 to every request: S1 (most ids under the spec's
/// hashes) is the fault replica, started through a launcher at the replica path; its replacement and the
/// other replicas are real. A steady 400 req/s for up to 15 s. Ejected: when the steady stream of
/// requests reaching S1 (its own log) thins to trials while S1 is still listed; replaced: when /rep stops listing it.
/// </summary>
internal static class FailingReplicaRun
{
    private const int RequestsPerSecond = 400;
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(15);

    // The shortest stretch of (almost) no requests reaching S1 that counts as an ejection.
    private static readonly TimeSpan StreamGap = TimeSpan.FromMilliseconds(300);

    public sealed record Result(string Configuration, string Faulty, int Requests, int ClientServerErrors, int Failed, int ReachedFaulty,
        double? EjectedAfterMs, double? ReplacedAfterMs, string? Replacement, double? ReplacementListedAfterMs);

    public static async Task<Result> RunAsync(LoadGenerator load, HealthConfiguration configuration, int seed)
    {
        using var launcher = FaultReplicaLauncher.Create(ExperimentBalancer.ReplicaServerPath, FaultMode.ServerError);
        await using var balancer = await ExperimentBalancer.StartAsync(3, [launcher.Setting, .. configuration.Settings], configuration.Name);
        var api = balancer.Api;
        var before = (await api.ListAsync()).Replicas;

        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        await using var watch = ReplicaSetWatch.Start(api, clock, TimeSpan.FromMilliseconds(20));
        using var stop = new CancellationTokenSource();
        Console.WriteLine($"  {launcher.FaultyName} answers 500 to every request ({configuration.Name})");
        var running = load.RunAsync(api, RequestIds.Random(seed, (int)(RequestsPerSecond * Longest.TotalSeconds)), Longest, clock,
            RequestsPerSecond, stop: stop.Token);

        // Once the fault replica is replaced, one more second shows the replacement serving.
        while (!running.IsCompleted && watch.FirstNewAt(before, TimeSpan.Zero) is null)
        {
            await Task.WhenAny(running, Task.Delay(50));
        }

        if (!running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(1)));
            await stop.CancelAsync();
        }

        var outcomes = await running;
        var reached = launcher.FaultedRequests().Select(at => at - startedAt).ToArray();
        var goneAt = watch.GoneAt(launcher.FaultyName, TimeSpan.Zero);
        var replacement = watch.FirstNewAt(before, TimeSpan.Zero);
        var started = outcomes.Select(outcome => outcome.StartedAt).Order().ToArray();
        var ejectedAt = EndOfSteadyStream(reached, started, goneAt ?? started.DefaultIfEmpty().Max());
        var firstReached = reached.Length > 0 ? reached[0] : (TimeSpan?)null;

        return new Result(configuration.Name, launcher.FaultyName, outcomes.Count, outcomes.Count(outcome => outcome.Status >= 500),
            outcomes.Count(outcome => outcome.Failed), reached.Length, Since(firstReached, ejectedAt), Since(firstReached, goneAt),
            replacement?.Name, Since(firstReached, replacement?.At));
    }

    /// <summary>
    /// The first request to reach the fault replica after which, up to <paramref name="until"/> (S1 gone from
    /// /rep, or the end of the load) and for at least <see cref="StreamGap"/>, at most 5% of the requests the
    /// clients started reached it (trials only): null when it kept getting its share. Robust to the load
    /// generator stalling on a busy machine, which a plain gap in the stream is not.
    /// </summary>
    private static TimeSpan? EndOfSteadyStream(IReadOnlyList<TimeSpan> reached, IReadOnlyList<TimeSpan> started, TimeSpan until)
    {
        for (var index = 0; index < reached.Count; index++)
        {
            var from = reached[index];
            if (until - from < StreamGap)
            {
                break;
            }

            var reachedAfter = reached.Count(at => at > from && at < until);
            var startedAfter = started.Count(at => at > from && at < until);
            if (startedAfter > 0 && reachedAfter <= startedAfter * 0.05)
            {
                return from;
            }
        }

        return null;
    }

    private static double? Since(TimeSpan? from, TimeSpan? to) =>
        from is { } start && to is { } end ? Math.Round((end - start).TotalMilliseconds) : null;
}
