using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Balancer.Actors.Routing.Health;
using Balancer.Actors.Supervision;
using Balancer.Tests.Supervision.Chaos;

namespace Balancer.Tests.Supervision;

/// <summary>
/// The supervisor's reactions to the data path's news, told through <see cref="SupervisorHealthEvents"/>
/// as the relay tells them, on virtual time: the route the ring made reaches the replica's actor, and a
/// replica that stays ejected is replaced like a dead one and counted.
/// </summary>
public sealed class SupervisorHealthTests : TestKit
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private readonly FakeRuntime runtime = new();
    private readonly SupervisorOptions options = new() { ReplicaSet = new ReplicaSetOptions { Replicas = 3 } };
    private readonly TestScheduler clock;

    public SupervisorHealthTests()
        : base(ChaosScheduleTests.ChaosConfig) => clock = (TestScheduler)Sys.Scheduler;

    [Fact]
    public void AReplicaThatStaysEjectedForErrorsIsReplacedAndCounted()
    {
        using var onThisThread = new NoSynchronizationContext();
        var harness = StartServing();
        var deaths = CreateTestProbe();
        Sys.EventStream.Subscribe(deaths.Ref, typeof(ReplicaDeathDetected));

        new SupervisorHealthEvents(harness.Supervisor).Ejected(harness.RouteOf("S2"), EjectionCause.ErrorResponses);
        Advance(options.Heartbeat.ReplaceFailingAfter - Tick);
        Assert.Contains("S2", harness.RingReplicas);
        Advance(TimeSpan.FromSeconds(1));

        Assert.Contains("error responses", deaths.ExpectMsg<ReplicaDeathDetected>(TimeSpan.FromSeconds(1)).Reason);
        Assert.DoesNotContain("S2", harness.RingReplicas);
        Assert.Equal(3, harness.RingReplicas.Count);
        Assert.Equal(4, runtime.Starts.Count);
        Assert.Equal((1, 1), (options.Counters.ReplacedForFailingRequests, options.Counters.DeclaredDead));
    }

    [Fact]
    public void AReadmittedReplicaIsKept()
    {
        using var onThisThread = new NoSynchronizationContext();
        var harness = StartServing();
        var events = new SupervisorHealthEvents(harness.Supervisor);

        events.Ejected(harness.RouteOf("S1"), EjectionCause.ErrorResponses);
        Advance(TimeSpan.FromSeconds(2));
        events.Readmitted(harness.RouteOf("S1"));
        Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["S1", "S2", "S3"], harness.RingReplicas.Order());
        Assert.Equal(3, runtime.Starts.Count);
        Assert.Equal(0, options.Counters.DeclaredDead);
    }

    [Fact]
    public void NewsOfARouteTheRingNoLongerHasChangesNothing()
    {
        using var onThisThread = new NoSynchronizationContext();
        var harness = StartServing();
        var departed = harness.RouteOf("S3");
        runtime.Crash("S3");
        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, harness.RingReplicas.Count);

        new SupervisorHealthEvents(harness.Supervisor).Ejected(departed, EjectionCause.ErrorResponses);
        Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(4, runtime.Starts.Count);
        Assert.Equal((0, 1), (options.Counters.ReplacedForFailingRequests, options.Counters.DeclaredDead));
    }

    private SupervisorHarness StartServing()
    {
        var harness = new SupervisorHarness(Sys, runtime, new FakeProbe(runtime), options);
        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, harness.RingReplicas.Count);
        return harness;
    }

    private void Advance(TimeSpan span)
    {
        for (var passed = TimeSpan.Zero; passed < span; passed += Tick)
        {
            clock.Advance(Tick);
        }
    }
}
