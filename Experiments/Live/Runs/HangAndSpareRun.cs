using Akka.Actor;
using Experiments.Health;
using Experiments.Health.Runs;
using Experiments.Live.Output;

namespace Experiments.Live.Runs;

/// <summary>
/// A-3, third part, on balancers of its own (it needs SIGSTOP and settings): a hang before/after (the
/// busiest replica SIGSTOPped with the health features off, then with the defaults; latency over time)
/// and a spare promotion (Spares=1: the busiest replica killed, time until its place serves again).
/// The same runs as the health mode's rows.
/// </summary>
internal static class HangAndSpareRun
{
    public static async Task RunAsync(ExperimentContext context, ActorSystem system)
    {
        var hangs = new List<HangRun.Result>();
        foreach (var configuration in HealthConfiguration.BeforeAndAfter)
        {
            hangs.Add(await HangRun.RunAsync(system, configuration, context.Options.Seed + 30));
        }

        HangCharts.Write(context.Results, "a3-hang", hangs);
        var spare = await HealthCommand.CrashProcessAsync(context.Load, spares: 1, context.Options.Seed + 31, kills: 3);
        context.Results.WriteJson("a3-spare-promotion.json", spare);

        context.Results.AddSection("A-3: a hung replica, before and after; a spare promotion", [
            $"The busiest replica SIGSTOPped under {HangRun.Clients} clients (a3-hang-latency.png, a3-hang-throughput.png); "
            + "health off = `--Balancer:Health:Enabled=false --Balancer:Heartbeat:Detector=Fixed`.",
            "",
            .. ResultsFolder.Table(["configuration", "failed", "p99 started in the 6 s after", "completed in those 6 s vs before", "gone from /rep after"],
                hangs.Select(run => (IReadOnlyList<object?>)[run.Configuration, run.Failed, $"{run.P99AfterMs} ms", $"{run.CompletedVsBefore:P1}",
                    $"{run.DeclaredDeadAfterMs} ms"])),
            "",
            $"Spares=1, {spare.Kills.Count} kills of the busiest replica: its place served again after a median of {spare.MedianFirstServedMs} ms "
            + $"(listed after {spare.MedianListedMs} ms){(spare.SparesSeen ? "" : "; no spare ran: this build ignores Balancer:Spares")}.",
        ]);
        foreach (var run in hangs)
        {
            context.Highlights.Add(("A-3", $"SIGSTOP, {run.Configuration}: p99 after / gone from /rep", $"{run.P99AfterMs} ms / {run.DeclaredDeadAfterMs} ms"));
        }

        context.Highlights.Add(("A-3", "spare promotion: kill -> serving (median)", $"{spare.MedianFirstServedMs} ms"));
    }
}
