using System.Diagnostics;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Experiments.Live.Balancers;

namespace Experiments.Health.Runs;

/// <summary>
/// "No false deaths": wrk with 256 connections for 60 s saturates the balancer and its three replicas on
/// this 2-core machine. Counted: replicas that left /rep (polled every 100 ms; a death or a replacement
/// shows there), replicas that joined, and the balancer's warnings about missed heartbeats, deaths and
/// ejections (its log at Warning; the metrics of issue 14 will count these directly).
/// </summary>
internal static partial class SaturationRun
{
    public const int Connections = 256;
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);

    public sealed record Result(string Configuration, long Requests, double RequestsPerSecond, long Non2xx, long SocketErrors, string? P99Latency,
        IReadOnlyList<string> LeftRep, IReadOnlyList<string> JoinedRep, int DeathWarnings, int MissedHeartbeatWarnings, int EjectionLogLines)
    {
        [JsonIgnore]
        public string WrkOutput { get; init; } = "";
    }

    public static async Task<Result> RunAsync(string wrk, HealthConfiguration configuration, int seed)
    {
        await using var balancer = await ExperimentBalancer.StartAsync(3, configuration.Settings, configuration.Name);
        var clock = Stopwatch.StartNew();
        var logFrom = balancer.Log.Length;
        Wrk.Summary summary;
        IReadOnlyList<string> left, joined;
        await using (var watch = ReplicaSetWatch.Start(balancer.Api, clock, TimeSpan.FromMilliseconds(100)))
        {
            Console.WriteLine($"  wrk -c{Connections} for {Duration.TotalSeconds:0} s ({configuration.Name})");
            summary = await Wrk.RunAsync(wrk, new Uri(balancer.Api.Http.BaseAddress!, "/home"), Connections, Duration, seed);
            left = watch.Departed();
            joined = watch.Arrived();
        }

        var log = balancer.Log[logFrom..];
        return new Result(configuration.Name, summary.Requests, summary.RequestsPerSecond, summary.Non2xx, summary.SocketErrors, summary.P99Latency,
            left, joined, DeathWarning().Count(log), MissedHeartbeat().Count(log), Ejection().Count(log))
        {
            WrkOutput = summary.Output,
        };
    }

    // The supervisor's "Replica {0} died ({1}); replacing it", once per death.
    [GeneratedRegex(@"\bdied\b", RegexOptions.IgnoreCase)]
    private static partial Regex DeathWarning();

    [GeneratedRegex(@"missed heartbeat", RegexOptions.IgnoreCase)]
    private static partial Regex MissedHeartbeat();

    [GeneratedRegex(@"eject", RegexOptions.IgnoreCase)]
    private static partial Regex Ejection();
}
