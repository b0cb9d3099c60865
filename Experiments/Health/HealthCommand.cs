using Akka.Actor;
using Experiments.Health.Runs;
using Experiments.Health.Targets;
using Experiments.Live.Balancers;
using Experiments.Live.Load;
using Experiments.Live.Output;
using Spectre.Console;

namespace Experiments.Health;

/// <summary>
/// <c>health</c>: measures every row of issue 13's targets table against embedded balancers (the
/// process runtime; the Docker rows where an engine and the replica image are there) and writes the table
/// and the raw numbers to results/health. Every run is bounded in time and count, and sends traffic to
/// loopback only (the Docker replicas sit on a local bridge network).
/// </summary>
internal static class HealthCommand
{
    private const int Replicas = 3;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (HealthOptions.Parse(args, out var error) is not { } options)
        {
            Console.Error.WriteLine($"{error}\n{HealthOptions.Usage}");
            return 2;
        }

        AnsiConsole.MarkupLine($"Health targets of issue 13; parts {string.Join(",", options.Parts)}; seed {options.Seed}; output {Markup.Escape(options.OutputDirectory)}");
        using var system = ActorSystem.Create("health", "akka.loglevel = WARNING");
        var results = new ResultsFolder(options.OutputDirectory);
        var rows = new List<TargetRow>();

        if (options.Runs("hang"))
        {
            var runs = new List<HangRun.Result>();
            foreach (var configuration in HealthConfiguration.BeforeAndAfter)
            {
                runs.Add(await HangRun.RunAsync(system, configuration, options.Seed));
            }

            HangCharts.Write(results, "hang", runs);
            rows.AddRange(TargetsTable.Hang(runs[0], runs[1]));
        }

        if (options.Runs("saturation"))
        {
            var @case = $"healthy replicas declared dead at -c{SaturationRun.Connections} for {SaturationRun.Duration.TotalSeconds:0} s";
            if (Wrk.Locate() is not { } wrk)
            {
                rows.Add(TargetsTable.Skipped(@case, "0", "0", Wrk.InstallHint));
            }
            else
            {
                var run = await SaturationRun.RunAsync(wrk, HealthConfiguration.Defaults, options.Seed);
                File.WriteAllText(results.PathOf("saturation-wrk.txt"), run.WrkOutput);
                results.WriteJson("saturation.json", run);
                rows.Add(TargetsTable.Saturation(run));
            }
        }

        var load = new LoadGenerator(system, 32);
        if (options.Runs("failing"))
        {
            var runs = new List<FailingReplicaRun.Result>();
            foreach (var configuration in HealthConfiguration.BeforeAndAfter)
            {
                runs.Add(await FailingReplicaRun.RunAsync(load, configuration, options.Seed + 2));
            }

            results.WriteJson("failing-replica.json", runs);
            rows.Add(TargetsTable.Failing(runs[0], runs[1]));
        }

        if (options.Runs("crash") || options.Runs("docker"))
        {
            var dockerSkipped = options.Runs("docker") ? await DockerCrashTarget.UnavailableReasonAsync() : "not asked for (--only)";
            var crashes = new List<CrashRun.Result>();
            foreach (var spares in new[] { 1, 0 })
            {
                var process = options.Runs("crash") ? await CrashProcessAsync(load, spares, options.Seed + 3) : null;
                CrashRun.Result? docker = null;
                var dockerNote = dockerSkipped;
                if (dockerSkipped is null)
                {
                    try
                    {
                        docker = await CrashDockerAsync(load, spares, options.Seed + 4);
                    }
                    catch (Exception exception) when (exception is InvalidOperationException or Docker.DotNet.DockerApiException or HttpRequestException)
                    {
                        // The process rows stand on their own; the Docker row says what went wrong.
                        dockerNote = $"failed: {exception.Message.Split('\n')[0]}";
                        Console.Error.WriteLine($"  Docker, Spares={spares}: {exception.Message}");
                    }
                }

                crashes.AddRange(new[] { process, docker }.OfType<CrashRun.Result>());
                rows.Add(TargetsTable.Crash(spares, process, docker, dockerNote));
            }

            results.WriteJson("crash.json", crashes);
            results.WriteCsv("crash-kills.csv", ["runtime", "spares", "kill", "victim", "replacement", "listed_after_ms", "first_served_after_ms"],
                crashes.SelectMany(run => run.Kills.Select((kill, index) => (IReadOnlyList<object?>)
                    [run.Runtime, run.Spares, index + 1, kill.Victim, kill.Replacement, kill.ListedAfterMs, kill.FirstServedAfterMs])));
        }

        Report(results, rows, args);
        await system.Terminate();
        return 0;
    }

    public static async Task<CrashRun.Result> CrashProcessAsync(LoadGenerator load, int spares, int seed, int kills = CrashRun.Kills)
    {
        await using var target = new ProcessCrashTarget(await ExperimentBalancer.StartAsync(Replicas,
            [$"--Balancer:Spares={spares}", CrashRun.NoCrashLoopBackoff], $"Spares={spares}"));
        return await CrashRun.RunAsync(target, load, Replicas, spares, seed, kills);
    }

    private static async Task<CrashRun.Result> CrashDockerAsync(LoadGenerator load, int spares, int seed)
    {
        await using var target = await DockerCrashTarget.StartAsync(Replicas, [$"--Balancer:Spares={spares}", CrashRun.NoCrashLoopBackoff], $"Spares={spares}");
        return await CrashRun.RunAsync(target, load, Replicas, spares, seed);
    }

    private static void Report(ResultsFolder results, IReadOnlyList<TargetRow> rows, IReadOnlyList<string> args)
    {
        string[] header = ["case", "issue: today", "target", "measured: health off", "measured: defaults", "met (defaults)"];
        var cells = rows.Select(row => (IReadOnlyList<object?>)[row.Case, row.IssueToday, row.Target, row.MeasuredHealthOff, row.MeasuredDefaults, row.Met]).ToList();
        results.WriteCsv("targets.csv", header, cells);
        results.WriteJson("targets.json", rows);
        results.AddSection("Issue 13: targets", [
            $"Embedded balancers (Release build of Balancer.Web, N={Replicas}, spec hashes) on {Environment.ProcessorCount} cores; "
            + "health off = `--Balancer:Health:Enabled=false --Balancer:Heartbeat:Detector=Fixed`.",
            "",
            .. ResultsFolder.Table(header, cells),
        ]);
        results.SaveSummary($"Generated by `dotnet run -c Release --project Experiments -- {string.Join(' ', args)}` (`make health`).");

        // Markdown, not a drawn table: it reads the same in a log and pastes into README as it is.
        foreach (var line in ResultsFolder.Table(header, cells))
        {
            Console.WriteLine(line);
        }

        AnsiConsole.MarkupLine($"Results in {Markup.Escape(results.Directory)}");
    }
}
