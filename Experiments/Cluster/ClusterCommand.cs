using System.Diagnostics;
using Experiments.Health.Runs;
using Experiments.Live.Output;
using Spectre.Console;

namespace Experiments.Cluster;

/// <summary>
/// <c>cluster [--out results/cluster] [--seed N] [--soak]</c>: issue 16's targets, measured on three local
/// nodes (the process runtime, free loopback ports): an /add through node 2 in the /rep of nodes 1 and 3, and
/// an /rm through node 3 in those of nodes 1 and 2; 1,000 ids routed alike by every node after each change;
/// kill -9 of the scheduler's node under load on the others. <c>--soak</c> adds wrk -c256 for 60 s on one
/// node while every node's view of the members is read each second (about a minute and a half more).
/// </summary>
internal static class ClusterCommand
{
    private const int Nodes = 3;
    private const int Replicas = 3;
    private const string Usage = "usage: Experiments cluster [--out results/cluster] [--seed N] [--soak]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var output = Path.Combine("results", "cluster");
        var seed = 20240816;
        var soak = false;
        for (var index = 1; index < args.Count; index++)
        {
            switch (args[index])
            {
                case "--out" when index + 1 < args.Count:
                    output = args[++index];
                    break;
                case "--seed" when index + 1 < args.Count && int.TryParse(args[index + 1], out var parsed):
                    seed = parsed;
                    index++;
                    break;
                case "--soak":
                    soak = true;
                    break;
                default:
                    Console.Error.WriteLine($"unknown or incomplete option '{args[index]}'\n{Usage}");
                    return 2;
            }
        }

        var results = new ResultsFolder(Path.GetFullPath(output));
        var rows = new List<IReadOnlyList<object?>>();
        AnsiConsole.MarkupLine($"Cluster targets of issue 16: {Nodes} nodes, N={Replicas}, seed {seed}; output {Markup.Escape(results.Directory)}");

        var clock = Stopwatch.StartNew();
        await using var cluster = await LocalCluster.StartAsync(Live.Balancers.ExperimentBalancer.BinaryPath, Nodes, Replicas);
        try
        {
            return await MeasureAsync(cluster, results, rows, clock.Elapsed, seed, soak);
        }
        finally
        {
            // The nodes' own logs (warnings and errors), whatever happened: a node downed or ended shows why here.
            foreach (var node in cluster.Nodes)
            {
                File.WriteAllText(results.PathOf($"node{node.Number}.log"), node.Balancer.Log);
            }
        }
    }

    private static async Task<int> MeasureAsync(LocalCluster cluster, ResultsFolder results, List<IReadOnlyList<object?>> rows, TimeSpan formed, int seed, bool soak)
    {
        Log($"formed in {formed.TotalSeconds:0.0} s: {string.Join("; ", cluster.Nodes)}; scheduler {await cluster.SchedulerAsync()}");
        var initial = await RouteAgreement.CheckAsync(cluster.Nodes, 1000, seed);
        rows.Add(["three nodes formed, every node lists N and sees the others up", "", $"{formed.TotalSeconds:0.0} s"]);
        rows.Add(AgreementRow("at start", initial));

        var add = await ChangeVisibilityRun.AddAsync(cluster, cluster.Nodes[1], "C1", seed + 1);
        Log(Describe(add));
        rows.Add(VisibilityRow(add));
        rows.Add(AgreementRow("after the /add", add.Agreement));

        var remove = await ChangeVisibilityRun.RemoveAsync(cluster, cluster.Nodes[2], "C1", seed + 2);
        Log(Describe(remove));
        rows.Add(VisibilityRow(remove));
        rows.Add(AgreementRow("after the /rm", remove.Agreement));

        SoakRun.Result? soakResult = null;
        if (soak)
        {
            if (Wrk.Locate() is not { } wrk)
            {
                rows.Add(["no node downed falsely while one node serves wrk -c256 for 60 s", "0", $"skipped: {Wrk.InstallHint}"]);
            }
            else
            {
                soakResult = await SoakRun.RunAsync(cluster, wrk, TimeSpan.FromSeconds(60), 256, seed);
                File.WriteAllText(results.PathOf("soak-wrk.txt"), soakResult.Wrk.Output);
                Log($"soak: {soakResult.Wrk.Requests} requests ({soakResult.Wrk.RequestsPerSecond:0} req/s) on node 1, {soakResult.Readings} member readings, {soakResult.Incidents.Count} incidents");
                rows.Add(["no node downed falsely while one node serves wrk -c256 for 60 s", "0",
                    $"{soakResult.Incidents.Count} members seen not up or unreachable in {soakResult.Readings} readings ({soakResult.Wrk.RequestsPerSecond:0} req/s on node 1)"]);
            }
        }

        var kill = await KillSchedulerRun.RunAsync(cluster, seed + 3, Log);
        Log($"kill -9: {kill.Requests} requests on the survivors, {kill.Failures.Count} failed; scheduler answers {Seconds(kill.SupervisorAnswers)}, "
            + $"/add {Seconds(kill.AddAnswered)}, /rm {Seconds(kill.RemoveAnswered)}, restored {Seconds(kill.Restored)}");
        rows.Add(["kill -9 of the scheduler's node: failed requests on the two survivors", "0", $"{kill.Failures.Count} of {kill.Requests}"]);
        rows.Add(["kill -9 -> the scheduler answers again on a survivor", "", Seconds(kill.SupervisorAnswers)]);
        rows.Add(["kill -9 -> /add through a survivor answered (200)", "<= 10 s", Seconds(kill.AddAnswered)]);
        rows.Add(["kill -9 -> /rm through the other survivor answered (200)", "<= 10 s", Seconds(kill.RemoveAnswered)]);
        rows.Add(["kill -9 -> N restored (same replicas adopted, no other replica process)", "N = 3",
            $"{Seconds(kill.Restored)}: N = {kill.ReplicasAfter.Count} ({string.Join(", ", kill.ReplicasAfter)}), {kill.ReplicaProcessesAfter} replica processes"]);
        rows.Add(AgreementRow("on the survivors after the hand-over", kill.Agreement));
        rows.Add(["a partitioned node: the minority is downed, never two schedulers", "",
            "not measured with processes here: the split-brain resolver is driven in-process (Balancer.Tests/Cluster)"]);

        var header = new[] { "target", "goal", "measured" };
        AnsiConsole.Write(Table(header, rows));
        results.WriteJson("cluster.json", new { formedSeconds = formed.TotalSeconds, initial, add, remove, kill, soak = soakResult is null ? null : new { soakResult.Readings, soakResult.Incidents, soakResult.Wrk.Requests, soakResult.Wrk.RequestsPerSecond } });
        File.WriteAllLines(results.PathOf("kill-failures.txt"), kill.Failures);
        results.AddSection("Targets", ResultsFolder.Table(header, rows));
        results.SaveSummary($"Measured by `make cluster-scenario{(soak ? " SOAK=1" : "")}` (`dotnet run -c Release --project Experiments -- cluster{(soak ? " --soak" : "")}`), seed {seed}, "
            + $"on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        var met = initial.Agree && add.Agreement.Agree && remove.Agreement.Agree && kill.Agreement.Agree && kill.Failures.Count == 0
            && add.Slowest <= TimeSpan.FromSeconds(1) && remove.Slowest <= TimeSpan.FromSeconds(1)
            && kill.AddAnswered <= TimeSpan.FromSeconds(10) && kill.RemoveAnswered <= TimeSpan.FromSeconds(10) && kill.Restored is not null;
        AnsiConsole.MarkupLine(met ? "[green]every target met[/]" : "[yellow]some target missed: see the table[/]");
        return 0;
    }

    private static IReadOnlyList<object?> VisibilityRow(ChangeVisibilityRun.Result result) =>
    [
        $"{result.Change}: in the other nodes' /rep, from its answer (negative: before it)",
        "<= 1 s",
        string.Join(", ", result.VisibleAfterAnswer.Select(pair => $"node {pair.Key} {Millis(pair.Value)}")) + $" (the change took {result.Answered.TotalMilliseconds:0} ms)",
    ];

    private static IReadOnlyList<object?> AgreementRow(string when, RouteAgreement.Result result) =>
    [
        $"1,000 ids route to the same replica on every node, {when}",
        "1000 of 1000",
        $"{result.Ids - result.Disagreements.Count} of {result.Ids} ({result.DifferentAtFirst} answered by another replica at the first ask: failovers); "
        + $"fingerprints {string.Join(" / ", result.Fingerprints)}",
    ];

    private static string Describe(ChangeVisibilityRun.Result result) =>
        $"{result.Change}: answered in {result.Answered.TotalMilliseconds:0} ms; visible {string.Join(", ", result.VisibleAfterAnswer.Select(pair => $"node {pair.Key} {Millis(pair.Value)}"))}; "
        + $"{result.Agreement.Ids - result.Agreement.Disagreements.Count} of {result.Agreement.Ids} ids alike on every node";

    private static string Millis(TimeSpan? value) => value is { } time ? $"{time.TotalMilliseconds:0} ms" : "never (30 s)";

    private static string Seconds(TimeSpan? value) => value is { } time ? $"{time.TotalSeconds:0.00} s" : "not within 60 s";

    private static void Log(string line) => AnsiConsole.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] {Markup.Escape(line)}");

    private static Spectre.Console.Table Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var table = new Spectre.Console.Table();
        foreach (var column in header)
        {
            table.AddColumn(column);
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => Markup.Escape(ResultsFolder.Format(cell))).ToArray());
        }

        return table;
    }
}
