using System.Diagnostics;
using System.Text.Json.Serialization;
using Akka.Actor;
using Experiments.Analysis;
using Experiments.Live.Balancers;
using Experiments.Live.Load;
using Experiments.Live.Processes;

namespace Experiments.Health.Runs;

/// <summary>
/// The first rows: 8 clients send /home as fast as they are answered; after 3 s the busiest
/// replica (the one that served most in a warm-up) gets SIGSTOP: a hang, as the balancer sees it, since
/// the process is still there and its port still accepts connections. Counts what failed, the latency of
/// requests started in the 6 s after the signal, how many completed in those 6 s against the rate
/// before, and when /rep stopped listing the stopped replica.
/// </summary>
internal static class HangRun
{
    public const int Clients = 8;
    public static readonly TimeSpan SignalAt = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan After = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Before = TimeSpan.FromSeconds(2);

    // The load goes on a little past the measured window, so the charts show what follows.
    private static readonly TimeSpan Beyond = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);
    private const int MaxRequests = 400_000;

    public sealed record Result(string Configuration, string Victim, int Requests, int Failed, double? P50AfterMs, double? P99AfterMs,
        int StartedAfter, int CompletedAfter, double RateBeforePerSecond, double CompletedVsBefore, double? DeclaredDeadAfterMs,
        string? Replacement, double? ReplacementListedAfterMs)
    {
        /// <summary>Every request, for the charts (not in the JSON).</summary>
        [JsonIgnore]
        public IReadOnlyList<RequestOutcome> Outcomes { get; init; } = [];

        [JsonIgnore]
        public TimeSpan SignalledAt { get; init; }
    }

    public static async Task<Result> RunAsync(ActorSystem system, HealthConfiguration configuration, int seed)
    {
        await using var balancer = await ExperimentBalancer.StartAsync(3, configuration.Settings, configuration.Name);
        var api = balancer.Api;
        var load = new LoadGenerator(system, Clients);

        var warmUp = await load.RunAsync(api, RequestIds.Random(seed, MaxRequests), WarmUp, Stopwatch.StartNew());
        var victim = warmUp.Where(outcome => !outcome.Failed).GroupBy(outcome => outcome.Replica!)
            .MaxBy(group => group.Count())?.Key ?? throw new InvalidOperationException("the warm-up served nothing");
        var pid = balancer.ReplicaPids()[victim];
        var startTicks = ReplicaProcesses.StartTicks(pid);
        var before = (await api.ListAsync()).Replicas;

        var clock = Stopwatch.StartNew();
        await using var watch = ReplicaSetWatch.Start(api, clock, TimeSpan.FromMilliseconds(10));
        Console.WriteLine($"  SIGSTOP of {victim} under {Clients} clients ({configuration.Name})");
        var running = load.RunAsync(api, RequestIds.Random(seed + 1, MaxRequests), SignalAt + After + Beyond, clock);
        await Task.Delay(SignalAt);
        var signalledAt = clock.Elapsed;
        Signals.Send("STOP", pid);
        var outcomes = await running;

        // Whether or not the balancer has declared it dead by now, a stopped process cannot exit as it is
        // asked to (its input closed): let it run again, if it is still the same process.
        if (startTicks is not null && ReplicaProcesses.StartTicks(pid) == startTicks)
        {
            Signals.Send("CONT", pid);
        }

        var window = signalledAt + After;
        var startedAfter = outcomes.Where(outcome => outcome.StartedAt >= signalledAt && outcome.StartedAt < window).ToArray();
        var latencies = startedAfter.Select(outcome => (outcome.CompletedAt - outcome.StartedAt).TotalMilliseconds).ToArray();
        var completedAfter = outcomes.Count(outcome => !outcome.Failed && outcome.CompletedAt >= signalledAt && outcome.CompletedAt < window);
        var rateBefore = outcomes.Count(outcome => !outcome.Failed && outcome.CompletedAt >= signalledAt - Before && outcome.CompletedAt < signalledAt)
            / Before.TotalSeconds;
        var deadAt = watch.GoneAt(victim, signalledAt);
        var replacement = watch.FirstNewAt(before, signalledAt);

        return new Result(configuration.Name, victim, outcomes.Count, outcomes.Count(outcome => outcome.Failed),
            Round(Percentile.Of(latencies, 0.50)), Round(Percentile.Of(latencies, 0.99)), startedAfter.Length, completedAfter,
            Math.Round(rateBefore, 1), rateBefore > 0 ? Math.Round(completedAfter / (rateBefore * After.TotalSeconds), 4) : 0,
            Since(signalledAt, deadAt), replacement?.Name, Since(signalledAt, replacement?.At))
        {
            Outcomes = outcomes,
            SignalledAt = signalledAt,
        };
    }

    private static double? Round(double? value) => value is { } number ? Math.Round(number, 1) : null;

    private static double? Since(TimeSpan from, TimeSpan? to) => to is { } at ? Math.Round((at - from).TotalMilliseconds) : null;
}
