using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using Balancer.Actors.Supervision;
using Balancer.Actors.Supervision.Detection;
using Balancer.Tests.Supervision.Chaos;
using Xunit.Abstractions;

namespace Balancer.Tests.Supervision;

/// <summary>
/// One replica actor on virtual time, its parent a test probe: how it judges a serving replica from
/// heartbeats, the answers its route counts and the data path's ejections, with the default settings.
/// </summary>
public sealed class ReplicaActorLivenessTests : TestKit
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);
    private readonly FakeRuntime runtime = new();
    private readonly SupervisorCounters counters = new();
    private readonly TestScheduler clock;
    private readonly ScriptedProbe probe;
    private readonly ITestOutputHelper output;
    private long answers;

    public ReplicaActorLivenessTests(ITestOutputHelper output)
        : base(ChaosScheduleTests.ChaosConfig)
    {
        this.output = output;
        clock = (TestScheduler)Sys.Scheduler;
        probe = new ScriptedProbe(Sys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(130)]
    [InlineData(260)]
    [InlineData(390)]
    [InlineData(470)]
    public void AReplicaThatHangsUnderTrafficIsDeclaredDeadWithinASecond(int phaseMilliseconds)
    {
        using var onThisThread = new NoSynchronizationContext();
        var (actor, parent, route) = StartServing();
        Run(TimeSpan.FromSeconds(5) + TimeSpan.FromMilliseconds(phaseMilliseconds), parent, traffic: true);

        var hungAt = clock.Now;
        probe.Takes = () => null;
        Run(TimeSpan.FromMilliseconds(100), parent, traffic: false);
        actor.Tell(new RouteEjected(route, EjectionCause.NoAnswer));
        var death = RunUntilDeath(parent, TimeSpan.FromSeconds(3), traffic: false);

        Assert.NotNull(death);
        output.WriteLine($"hung -> declared dead: {(death.Value.At - hungAt).TotalMilliseconds:0} ms ({death.Value.Died.Reason})");
        Assert.InRange(death.Value.At - hungAt, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Contains("ejected by the data path", death.Value.Died.Reason);
        Assert.Equal(1, counters.DeclaredDead);
    }

    [Fact]
    public void AnEjectionMakesTheActorProbeAtOnce()
    {
        using var onThisThread = new NoSynchronizationContext();
        var (actor, parent, route) = StartServing();
        Run(TimeSpan.FromMilliseconds(1_250), parent, traffic: true);
        var before = probe.Sent.Count;

        actor.Tell(new RouteEjected(route, EjectionCause.NoAnswer));

        Assert.Equal(before + 1, probe.Sent.Count);
        Assert.Equal(clock.Now, probe.Sent[^1].At);
    }

    [Fact]
    public void AnEjectionOfAnotherRouteObjectIsIgnored()
    {
        using var onThisThread = new NoSynchronizationContext();
        var (actor, parent, route) = StartServing();
        Run(TimeSpan.FromMilliseconds(1_250), parent, traffic: true);
        var before = probe.Sent.Count;

        actor.Tell(new RouteEjected(new ReplicaRoute(route.Hostname, route.Address), EjectionCause.ErrorResponses));

        Assert.Equal(before, probe.Sent.Count);
        Assert.Null(RunUntilDeath(parent, TimeSpan.FromSeconds(10), traffic: true));
    }

    [Fact]
    public void AnIdleReplicaThatHangsIsDeclaredDeadWellWithinTheOldFourSeconds()
    {
        using var onThisThread = new NoSynchronizationContext();
        var (_, parent, _) = StartServing();
        Run(TimeSpan.FromMilliseconds(5_020), parent, traffic: false);

        var hungAt = clock.Now;
        probe.Takes = () => null;
        var death = RunUntilDeath(parent, TimeSpan.FromSeconds(5), traffic: false);

        Assert.NotNull(death);
        output.WriteLine($"hung -> declared dead: {(death.Value.At - hungAt).TotalMilliseconds:0} ms ({death.Value.Died.Reason})");
        Assert.InRange(death.Value.At - hungAt, TimeSpan.Zero, TimeSpan.FromSeconds(1.5));
        Assert.Contains("heartbeats", death.Value.Died.Reason);
        Assert.True(counters.HeartbeatFailures >= 2);
    }

    /// <summary>Saturated: every heartbeat takes 1.5 s (all time out), but requests are answered. Never dead.</summary>
    [Fact]
    public void AReplicaSlowUnderLoadWhoseRequestsAreAnsweredIsNeverDeclaredDead()
    {
        using var onThisThread = new NoSynchronizationContext();
        var (actor, parent, route) = StartServing();
        Run(TimeSpan.FromSeconds(2), parent, traffic: true);
        probe.Takes = () => TimeSpan.FromMilliseconds(1_500);
        actor.Tell(new RouteEjected(route, EjectionCause.NoAnswer));
        actor.Tell(new RouteReadmitted(route));

        var death = RunUntilDeath(parent, TimeSpan.FromSeconds(60), traffic: true, answerEvery: 3);

        Assert.Null(death);
        Assert.True(counters.HeartbeatFailures > 10, $"only {counters.HeartbeatFailures} heartbeats failed");
        Assert.Equal(0, counters.DeclaredDead);
    }

    [Fact]
    public void AReplicaThatStaysEjectedForErrorsIsDeclaredDeadAfterReplaceFailingAfter()
    {
        using var onThisThread = new NoSynchronizationContext();
        var (actor, parent, route) = StartServing();
        Run(TimeSpan.FromSeconds(1), parent, traffic: true);
        var ejectedAt = clock.Now;

        actor.Tell(new RouteEjected(route, EjectionCause.ErrorResponses));
        Assert.Null(RunUntilDeath(parent, TimeSpan.FromSeconds(4.9), traffic: false));
        var death = RunUntilDeath(parent, TimeSpan.FromSeconds(0.2), traffic: false);

        Assert.NotNull(death);
        Assert.Equal(new HeartbeatOptions().ReplaceFailingAfter, death.Value.At - ejectedAt);
        Assert.Contains("error responses", death.Value.Died.Reason);
        Assert.Equal((1, 1), (counters.ReplacedForFailingRequests, counters.DeclaredDead));
        Assert.Contains("S1", runtime.Stops);
    }

    [Fact]
    public void AReadmissionCancelsTheReplacementForFailingRequests()
    {
        using var onThisThread = new NoSynchronizationContext();
        var (actor, parent, route) = StartServing();
        Run(TimeSpan.FromSeconds(1), parent, traffic: true);

        actor.Tell(new RouteEjected(route, EjectionCause.ErrorResponses));
        Run(TimeSpan.FromSeconds(3), parent, traffic: false);
        actor.Tell(new RouteReadmitted(route));

        Assert.Null(RunUntilDeath(parent, TimeSpan.FromSeconds(12), traffic: true));
        Assert.Equal(0, counters.ReplacedForFailingRequests);
    }

    [Fact]
    public void TheFixedRuleIgnoresTrafficAndEjectionsAndWaitsForThreeFullTimeouts()
    {
        using var onThisThread = new NoSynchronizationContext();
        var (actor, parent, route) = StartServing(new HeartbeatOptions { Detector = HangDetector.Fixed });
        Run(TimeSpan.FromMilliseconds(1_250), parent, traffic: true);

        var hungAt = clock.Now;
        probe.Takes = () => null;
        var before = probe.Sent.Count;
        actor.Tell(new RouteEjected(route, EjectionCause.NoAnswer));
        Assert.Equal(before, probe.Sent.Count);
        var death = RunUntilDeath(parent, TimeSpan.FromSeconds(10), traffic: true);

        Assert.NotNull(death);
        output.WriteLine($"hung -> declared dead: {(death.Value.At - hungAt).TotalMilliseconds:0} ms ({death.Value.Died.Reason})");
        Assert.Equal("missed 3 heartbeats in a row", death.Value.Died.Reason);
        Assert.InRange(death.Value.At - hungAt, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4));
        Assert.All(probe.Sent, sent => Assert.Equal(TimeSpan.FromSeconds(1), sent.Timeout));
    }

    /// <summary>An adopted replica that answers its first heartbeat, watched through a route whose answers this test counts.</summary>
    private (IActorRef Actor, TestProbe Parent, ReplicaRoute Route) StartServing(HeartbeatOptions? options = null)
    {
        var replica = runtime.Preexisting("S1");
        var parent = CreateTestProbe();
        var watch = new ReplicaWatch(probe, options ?? new HeartbeatOptions(), counters) { AnswersOf = _ => answers };
        var actor = parent.ChildActorOf(ReplicaActor.Adopt(replica, runtime, watch));
        clock.Advance(Step);
        parent.ExpectMsg<ReplicaServing>(TimeSpan.FromSeconds(1));
        var route = new ReplicaRoute(replica.Hostname, replica.Address);
        actor.Tell(new WatchRoute(route));
        return (actor, parent, route);
    }

    private void Run(TimeSpan span, TestProbe parent, bool traffic) =>
        Assert.Null(RunUntilDeath(parent, span, traffic));

    /// <summary>Advances the clock in 10 ms steps (counting an answer every <paramref name="answerEvery"/> steps with traffic) until the parent hears of a death.</summary>
    private (DateTimeOffset At, ReplicaDied Died)? RunUntilDeath(TestProbe parent, TimeSpan limit, bool traffic, int answerEvery = 1)
    {
        var until = clock.Now + limit;
        for (var step = 1; clock.Now < until; step++)
        {
            if (traffic && step % answerEvery == 0)
            {
                answers++;
            }

            clock.Advance(Step);
            if (parent.HasMessages)
            {
                return (clock.Now, parent.ExpectMsg<ReplicaDied>(TimeSpan.FromSeconds(1)));
            }
        }

        return null;
    }
}
