using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Balancer.Actors.Ring;
using Balancer.Actors.Routing;
using Balancer.Actors.Supervision;
using Balancer.Tests.Supervision.Chaos;

namespace Balancer.Tests.Supervision;

/// <summary>
/// Changes that wait behind a wedged one: a bounded queue, a deadline for each, and nothing applied after
/// its caller heard it failed. On virtual time, every actor on the calling thread (as in the fault schedules).
/// </summary>
public sealed class ChangeQueueTests : TestKit
{
    private readonly ChaosRuntime runtime = new();
    private readonly SupervisorOptions options;
    private readonly IActorRef supervisor;
    private readonly RoutingTablePublisher routing;
    public ChangeQueueTests()
        : base(ChaosScheduleTests.ChaosConfig)
    {
        using var onThisThread = new NoSynchronizationContext();
        options = new SupervisorOptions
        {
            ReplicaSet = new ReplicaSetOptions { Replicas = 2 },
            Heartbeat = new HeartbeatOptions { Interval = TimeSpan.FromMilliseconds(500), StartTimeout = TimeSpan.FromSeconds(5) },
            MaxQueuedChanges = 2,
        };
        var map = new ConsistentHashMap();
        routing = new RoutingTablePublisher(RoutingTable.Empty(map.Current));
        var ring = Sys.ActorOf(RingActor.Props(map, routing));
        supervisor = Sys.ActorOf(ReplicaSupervisor.Props(runtime, runtime, ring, options));
        Advance(TimeSpan.FromSeconds(1));
    }

    private TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    [Fact]
    public void AFullQueueRefusesAtOnceAndEveryWaitingChangeIsAnsweredByItsDeadlineWithoutBeingApplied()
    {
        using var onThisThread = new NoSynchronizationContext();
        Assert.Equal(["S1", "S2"], List());
        // The add in progress wedges: its start never returns.
        runtime.NextStartFaults.Enqueue(StartFault.Hangs);
        var wedged = Send(new AddReplicas(1, ["w1"]));
        var waiting = new[] { Send(new AddReplicas(1, ["q1"])), Send(new RemoveReplicas(1, ["S1"])) };

        var refused = Send(new AddReplicas(1, ["q3"]));

        Assert.Equal(AdminErrorKind.Busy, Assert.IsType<AdminRejected>(refused.Value).Kind);
        Advance(options.ChangeDeadline + TimeSpan.FromMilliseconds(200));
        Assert.IsType<AdminRejected>(wedged.Value);
        Assert.All(waiting, reply => Assert.NotNull(reply.Value));

        // Whatever the waiting changes were told, the set says the same: a failure changed nothing.
        runtime.ReleaseHungStarts(fail: false);
        Advance(TimeSpan.FromSeconds(30));
        var expected = new List<string> { "S1", "S2" };
        if (waiting[0].Value is ReplicaSet)
        {
            expected.Add("q1");
        }

        if (waiting[1].Value is ReplicaSet)
        {
            expected.Remove("S1");
        }

        Assert.Equal(expected.Order(), List().Order());
        Assert.DoesNotContain("w1", List());
        Assert.Equal(List().Order(), routing.Current.Snapshot.Replicas.Order());
        Assert.Equal(List().Order(), runtime.Live.Select(instance => instance.Replica.Hostname).Order());
    }

    [Fact]
    public void AStartThatNeverReturnsFailsTheAddAfterTheStartTimeoutNotAtTheDeadline()
    {
        using var onThisThread = new NoSynchronizationContext();
        runtime.NextStartFaults.Enqueue(StartFault.Hangs);
        var add = Send(new AddReplicas(1, ["w1"]));

        Advance(options.Heartbeat.StartTimeout + TimeSpan.FromMilliseconds(200));

        var failed = Assert.IsType<AdminRejected>(add.Value);
        Assert.Contains("not launched within 5 s", failed.Message);
        Assert.Equal(["S1", "S2"], List());
    }

    [Fact]
    public void AStartThatThrowsFailsTheAddAtOnceAndTheNextAddWorks()
    {
        using var onThisThread = new NoSynchronizationContext();
        runtime.NextStartFaults.Enqueue(StartFault.ThrowsSynchronously);
        var failed = Send(new AddReplicas(1, ["x1"]));
        Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(AdminErrorKind.RuntimeFailure, Assert.IsType<AdminRejected>(failed.Value).Kind);

        var added = Send(new AddReplicas(1, ["x1"]));
        Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["S1", "S2", "x1"], Assert.IsType<ReplicaSet>(added.Value).Replicas);
    }

    private StrongBox<object?> Send(object command)
    {
        var reply = new StrongBox<object?>();
        supervisor.Tell(command, Sys.ActorOf(Props.Create(() => new ReplyRecorder(reply))));
        return reply;
    }

    private IReadOnlyList<string> List() => Assert.IsType<ReplicaSet>(Send(GetReplicas.Instance).Value).Replicas;

    private void Advance(TimeSpan by)
    {
        for (var passed = TimeSpan.Zero; passed < by; passed += ChaosWorld.Tick)
        {
            runtime.Tick();
            Clock.Advance(ChaosWorld.Tick);
        }
    }
}
