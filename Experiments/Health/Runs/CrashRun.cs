using System.Collections.Concurrent;
using System.Diagnostics;
using Experiments.Health.Targets;
using Experiments.Live.Load;

namespace Experiments.Health.Runs;

/// <summary>
/// Crash -> replacement serving: under a steady 200 req/s the busiest replica (most served in the last
/// second) is killed, ten times in a row; each time once the set is whole again (N listed and N + spares
/// running). Measured per kill: when /rep lists a new replica in the victim's place, and when that
/// replica answers its first request. Runs with <c>Backoff:StableAfter</c> near zero: each victim
/// served before it was killed, so these are crashes of serving replicas, not a crash loop to back off from.
/// </summary>
internal static class CrashRun
{
    public const int Kills = 10;
    public const string NoCrashLoopBackoff = "--Balancer:Backoff:StableAfter=00:00:00.001";
    private const int RequestsPerSecond = 200;
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(150);
    private static readonly TimeSpan WholeWithin = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan SparesWithin = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReplacedWithin = TimeSpan.FromSeconds(20);

    public sealed record Kill(string Victim, string? Replacement, double? ListedAfterMs, double? FirstServedAfterMs);

    public sealed record Result(string Runtime, int Spares, bool SparesSeen, IReadOnlyList<Kill> Kills, double? MedianListedMs,
        double? MedianFirstServedMs, double? MaxFirstServedMs, int Requests, int Failed);

    public static async Task<Result> RunAsync(ICrashTarget target, LoadGenerator load, int replicas, int spares, int seed, int kills = Kills)
    {
        var api = target.Api;
        var clock = Stopwatch.StartNew();
        var seen = new ConcurrentQueue<RequestOutcome>();
        using var stop = new CancellationTokenSource();
        Console.WriteLine($"  {kills} kills, Spares={spares}, {target.Runtime} runtime");
        var running = load.RunAsync(api, RequestIds.Random(seed, (int)(RequestsPerSecond * Longest.TotalSeconds)), Longest, clock,
            RequestsPerSecond, onOutcome: seen.Enqueue, stop: stop.Token);

        var measured = new List<Kill>();
        var sparesSeen = false;
        try
        {
            for (var kill = 0; kill < kills && !running.IsCompleted; kill++)
            {
                var whole = await WaitUntilAsync(async () => (await api.ListAsync()).N == replicas && await target.RunningReplicasAsync() >= replicas, WholeWithin);
                if (!whole)
                {
                    break;
                }

                if (spares > 0)
                {
                    // A build without spares never runs more than N: measured all the same, and said so.
                    var within = kill == 0 || sparesSeen ? SparesWithin : TimeSpan.Zero;
                    sparesSeen = await WaitUntilAsync(async () => await target.RunningReplicasAsync() >= replicas + spares, within);
                    // A spare that runs may still be starting: give it the time a start takes here before the kill.
                    await Task.Delay(TimeSpan.FromSeconds(target.Runtime == "Docker" ? 3 : 1));
                }

                var listed = (await api.ListAsync()).Replicas;
                var recent = clock.Elapsed - TimeSpan.FromSeconds(1);
                var victim = seen.Where(outcome => outcome.CompletedAt >= recent && outcome.Replica is not null && listed.Contains(outcome.Replica))
                    .GroupBy(outcome => outcome.Replica!).MaxBy(group => group.Count())?.Key ?? listed[0];

                var killedAt = clock.Elapsed;
                await target.KillAsync(victim);
                var replacement = await ReplacementAsync(api, listed, victim, clock);
                TimeSpan? firstServed = null;
                if (replacement is { } fresh)
                {
                    await WaitUntilAsync(() => Task.FromResult(seen.Any(outcome => outcome.Replica == fresh.Name)), TimeSpan.FromSeconds(5));
                    firstServed = seen.Where(outcome => outcome.Replica == fresh.Name).Select(outcome => (TimeSpan?)outcome.CompletedAt).Min();
                }

                measured.Add(new Kill(victim, replacement?.Name, Since(killedAt, replacement?.At), Since(killedAt, firstServed)));
            }
        }
        finally
        {
            await stop.CancelAsync();
        }

        var outcomes = await running;
        var served = measured.Select(kill => kill.FirstServedAfterMs).OfType<double>().ToArray();
        return new Result(target.Runtime, spares, spares == 0 || sparesSeen, measured, Median(measured.Select(kill => kill.ListedAfterMs).OfType<double>()),
            Median(served), served.Length > 0 ? served.Max() : null, outcomes.Count, outcomes.Count(outcome => outcome.Failed));
    }

    /// <summary>Polls /rep every 5 ms until the victim is gone and a new name is listed.</summary>
    private static async Task<(string Name, TimeSpan At)?> ReplacementAsync(Live.BalancerApi api, IReadOnlyList<string> before, string victim, Stopwatch clock)
    {
        var deadline = clock.Elapsed + ReplacedWithin;
        while (clock.Elapsed < deadline)
        {
            try
            {
                var now = (await api.ListAsync()).Replicas;
                if (!now.Contains(victim) && now.FirstOrDefault(name => !before.Contains(name)) is { } fresh)
                {
                    return (fresh, clock.Elapsed);
                }
            }
            catch (HttpRequestException)
            {
                // The next poll tells.
            }

            await Task.Delay(5);
        }

        return null;
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not answering this moment.
            }

            await Task.Delay(20);
        }

        return false;
    }

    private static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? null
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double? Since(TimeSpan from, TimeSpan? to) => to is { } at ? Math.Round((at - from).TotalMilliseconds) : null;
}
