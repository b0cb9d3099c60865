using Experiments.Health.Runs;

namespace Experiments.Health.Targets;

/// <summary>The issue's targets table, filled from the runs; a part that did not run gives rows that say why.</summary>
internal static class TargetsTable
{
    public const string SameSigstop = "same";

    public static IEnumerable<TargetRow> Hang(HangRun.Result off, HangRun.Result defaults)
    {
        yield return new TargetRow($"SIGSTOP of the busiest replica, {HangRun.Clients} clients: failed", "0", "0",
            $"{off.Failed}", $"{defaults.Failed}", TargetRow.Verdict(defaults.Failed == 0));
        yield return new TargetRow($"{SameSigstop}: p99 of requests started in the 6 s after the signal", "3,039 ms", "<= 250 ms",
            P99(off), P99(defaults), TargetRow.Verdict(defaults.P99AfterMs is { } p99 && p99 <= 250));
        yield return new TargetRow($"{SameSigstop}: requests completed in those 6 s vs the rate before", "~0.2%", ">= 70%",
            Ratio(off), Ratio(defaults), TargetRow.Verdict(defaults.CompletedVsBefore >= 0.70));
        yield return new TargetRow("hung replica declared dead (gone from /rep)", "~4 s", "<= 1 s",
            TargetRow.Seconds(off.DeclaredDeadAfterMs), TargetRow.Seconds(defaults.DeclaredDeadAfterMs),
            TargetRow.Verdict(defaults.DeclaredDeadAfterMs is { } dead && dead <= 1000));
    }

    public static TargetRow Saturation(SaturationRun.Result defaults) => new(
        $"healthy replicas declared dead at -c{SaturationRun.Connections} for {SaturationRun.Duration.TotalSeconds:0} s", "0", "0", "-",
        $"{defaults.LeftRep.Count} left /rep, {defaults.JoinedRep.Count} joined; {defaults.DeathWarnings} death, "
        + $"{defaults.EjectionLogLines} ejection, {defaults.MissedHeartbeatWarnings} missed-heartbeat log lines; "
        + $"{defaults.Requests:N0} requests ({defaults.RequestsPerSecond:N0}/s, p99 {defaults.P99Latency}), {defaults.Non2xx} non-2xx, {defaults.SocketErrors} socket errors",
        TargetRow.Verdict(defaults.LeftRep.Count == 0 && defaults.JoinedRep.Count == 0 && defaults.DeathWarnings == 0));

    public static TargetRow Failing(FailingReplicaRun.Result off, FailingReplicaRun.Result defaults) => new(
        "replica passing heartbeats, 500 on every request: ejected / replaced", "never", "<= 1 s / <= 10 s", Failing(off), Failing(defaults),
        TargetRow.Verdict(defaults.EjectedAfterMs <= 1000 && defaults.ReplacedAfterMs <= 10_000 && defaults.ClientServerErrors == 0));

    public static TargetRow Crash(int spares, CrashRun.Result? process, CrashRun.Result? docker, string? dockerSkipped)
    {
        var target = spares > 0 ? "<= 100 ms" : "<= 0.5 s / <= 1.5 s";
        var processMet = process?.MedianFirstServedMs is { } processMs && processMs <= (spares > 0 ? 100 : 500);
        var dockerMet = docker?.MedianFirstServedMs is { } dockerMs && dockerMs <= (spares > 0 ? 100 : 1500);
        var measured = $"process: {Crash(process)} / Docker: {(docker is null ? $"not measured ({dockerSkipped})" : Crash(docker))}";
        return new TargetRow($"crash -> replacement serving, Spares={spares} (median of {CrashRun.Kills} kills; process / Docker)",
            "0.66 s / 1.66 s", target, "-", measured,
            $"{TargetRow.Verdict(process is null ? null : processMet)} / {TargetRow.Verdict(docker is null ? null : dockerMet)}");
    }

    public static TargetRow Skipped(string @case, string issueToday, string target, string reason) =>
        new(@case, issueToday, target, "-", $"skipped: {reason}", "n/a");

    private static string P99(HangRun.Result run) => $"{TargetRow.Ms(run.P99AfterMs)} (p50 {TargetRow.Ms(run.P50AfterMs)}, {run.StartedAfter} started)";

    private static string Ratio(HangRun.Result run) =>
        $"{run.CompletedVsBefore:P1} ({run.CompletedAfter} in 6 s vs {run.RateBeforePerSecond:N0}/s before)";

    private static string Failing(FailingReplicaRun.Result run) =>
        $"{TargetRow.Seconds(run.EjectedAfterMs)} / {TargetRow.Seconds(run.ReplacedAfterMs)} ({run.ClientServerErrors} 5xx seen by clients of {run.Requests}; "
        + $"{run.ReachedFaulty} reached {run.Faulty})";

    private static string Crash(CrashRun.Result? run) => run is null ? "not run"
        : $"{TargetRow.Ms(run.MedianFirstServedMs)} (max {TargetRow.Ms(run.MaxFirstServedMs)}, listed {TargetRow.Ms(run.MedianListedMs)}; "
          + $"{run.Kills.Count} kills, {run.Failed} failed of {run.Requests}{(run.SparesSeen ? "" : "; no spare ran: this build ignores Spares")})";
}
