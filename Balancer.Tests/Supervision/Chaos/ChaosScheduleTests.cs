using System.Diagnostics;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace Balancer.Tests.Supervision.Chaos;

/// <summary>
/// Randomized fault schedules against the supervisor and the ring on virtual time (the FoundationDB and
/// Jepsen habit, small): starts that throw, fail, hang or never serve, crashes, hung heartbeats, slow
/// stops and failing listings, interleaved with /add and /rm, good and bad.
/// </summary>
public sealed class ChaosScheduleTests : TestKit
{
    private readonly ITestOutputHelper output;

    // The output helper is not handed to the TestKit: its logger would copy every dead letter of thousands
    // of runs into the report.
    public ChaosScheduleTests(ITestOutputHelper output)
        : base(ChaosConfig) => this.output = output;

    /// <summary>Virtual time, and every actor on the calling thread: runs replay exactly from their seed.</summary>
    internal const string ChaosConfig = """
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.actor.default-dispatcher.type = "Akka.TestKit.CallingThreadDispatcherConfigurator, Akka.TestKit"
        akka.actor.internal-dispatcher.type = "Akka.TestKit.CallingThreadDispatcherConfigurator, Akka.TestKit"
        akka.loglevel = OFF
        akka.stdout-loglevel = OFF
        akka.log-dead-letters = off
        """;

    private const int Schedules = 1000;
    private const int StepsPerSchedule = 30;

    [Fact]
    public void AThousandRandomFaultSchedulesKeepEveryPromise()
    {
        var seeds = Environment.GetEnvironmentVariable("CHAOS_SEED") is { Length: > 0 } seed
            ? [int.Parse(seed, System.Globalization.CultureInfo.InvariantCulture)]
            : Enumerable.Range(1, Schedules).ToArray();
        var faultKinds = new HashSet<string>();
        var promotionsChecked = 0;
        var watch = Stopwatch.StartNew();
        foreach (var current in seeds)
        {
            var schedule = ChaosScheduleGenerator.Generate(current, StepsPerSchedule);
            foreach (var kind in ChaosCoverage.KindsOf(schedule))
            {
                faultKinds.Add(kind);
            }

            var world = ChaosRunner.RunWorld(Sys, schedule);
            if (world.Violations is { Count: > 0 } violations)
            {
                Assert.Fail(ChaosRunner.Report(Sys, schedule, violations));
            }

            promotionsChecked += world.PromotionsChecked;
        }

        output.WriteLine($"{seeds.Length} schedules of {StepsPerSchedule} steps in {watch.Elapsed.TotalSeconds:0.0} s; " +
            $"fault kinds used: {string.Join(", ", faultKinds.Order())}; crashes checked for an immediate spare promotion: {promotionsChecked}");
        if (seeds.Length == Schedules)
        {
            Assert.Equal(ChaosCoverage.AllKinds.Order(), faultKinds.Order());
            Assert.True(promotionsChecked >= 50, $"only {promotionsChecked} crashes met a ready spare");
        }
    }

    /// <summary>The time-boxed soak: <c>make chaos MINUTES=10</c>. Skipped in a normal test run.</summary>
    [SoakFact]
    public void SchedulesKeepEveryPromiseForTheGivenMinutes()
    {
        var minutes = double.Parse(Environment.GetEnvironmentVariable("CHAOS_MINUTES")!, System.Globalization.CultureInfo.InvariantCulture);
        var until = Stopwatch.StartNew();
        var seed = Environment.GetEnvironmentVariable("CHAOS_FIRST_SEED") is { Length: > 0 } first
            ? int.Parse(first, System.Globalization.CultureInfo.InvariantCulture)
            : Random.Shared.Next(1_000_000, int.MaxValue / 2);
        var firstSeed = seed;
        var run = 0;
        while (until.Elapsed.TotalMinutes < minutes)
        {
            var schedule = ChaosScheduleGenerator.Generate(seed, StepsPerSchedule + seed % 30);
            if (ChaosRunner.Run(Sys, schedule) is { Count: > 0 } violations)
            {
                Assert.Fail(ChaosRunner.Report(Sys, schedule, violations));
            }

            seed++;
            run++;
        }

        var line = $"chaos: {run} schedules (seeds {firstSeed}..{seed - 1}) in {until.Elapsed.TotalSeconds:0} s, {run / until.Elapsed.TotalSeconds:0.0} schedules/s, no violation";
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}

/// <summary>Runs only when <c>CHAOS_MINUTES</c> is set (make chaos), since it runs for minutes.</summary>
internal sealed class SoakFactAttribute : FactAttribute
{
    public SoakFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CHAOS_MINUTES")))
        {
            Skip = "A time-boxed soak of fault schedules: run it with make chaos MINUTES=10 (sets CHAOS_MINUTES)";
        }
    }
}
