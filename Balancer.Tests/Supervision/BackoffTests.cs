using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Balancer.Actors.Runtime;
using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision;

/// <summary>Retries of a runtime that cannot start replicas, counted over virtual time.</summary>
public sealed class BackoffTests() : TestKit(@"akka.scheduler.implementation = ""Akka.TestKit.TestScheduler, Akka.TestKit""")
{
    private TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    [Fact]
    public async Task FailingStartsAreRetriedWithExponentialBackoffNeverInATightLoop()
    {
        var runtime = new FakeRuntime { FailStart = _ => new RuntimeUnavailableException("engine unreachable") };
        _ = new SupervisorHarness(Sys, runtime, new FakeProbe(runtime), new SupervisorOptions
        {
            ReplicaSet = new ReplicaSetOptions { Replicas = 1 },
            Heartbeat = SupervisorHarness.FastHeartbeats,
            Backoff = new BackoffPolicy { Initial = TimeSpan.FromMilliseconds(500), Max = TimeSpan.FromSeconds(30) },
        });

        // The first failure is retried at once; then 0.5 s, 1 s, 2 s, 4 s, 8 s, 16 s, and 30 s from then on.
        await AttemptsSettleAt(runtime, 2);
        await AdvanceAndExpect(runtime, TimeSpan.FromMilliseconds(499), 2);
        await AdvanceAndExpect(runtime, TimeSpan.FromMilliseconds(1), 3);
        await AdvanceAndExpect(runtime, TimeSpan.FromMilliseconds(990), 3);
        await AdvanceAndExpect(runtime, TimeSpan.FromMilliseconds(10), 4);
        await AdvanceAndExpect(runtime, TimeSpan.FromSeconds(2), 5);
        await AdvanceAndExpect(runtime, TimeSpan.FromSeconds(4), 6);
        await AdvanceAndExpect(runtime, TimeSpan.FromSeconds(8), 7);
        await AdvanceAndExpect(runtime, TimeSpan.FromSeconds(16), 8);
        await AdvanceAndExpect(runtime, TimeSpan.FromSeconds(29), 8);
        await AdvanceAndExpect(runtime, TimeSpan.FromSeconds(1), 9);
        await AdvanceAndExpect(runtime, TimeSpan.FromSeconds(30), 10);
    }

    [Fact]
    public async Task CrashLoopBacksOffAndAStableReplicaEndsIt()
    {
        var runtime = new FakeRuntime();
        var harness = new SupervisorHarness(Sys, runtime, new FakeProbe(runtime), new SupervisorOptions
        {
            ReplicaSet = new ReplicaSetOptions { Replicas = 1 },
            Heartbeat = SupervisorHarness.FastHeartbeats with { Interval = TimeSpan.FromMilliseconds(10) },
            Backoff = new BackoffPolicy { Initial = TimeSpan.FromSeconds(1), StableAfter = TimeSpan.FromSeconds(10) },
        });
        await ServingAsync(harness);

        // Two deaths in quick succession: the first is replaced at once, the second after 1 s.
        runtime.Crash(runtime.Running.Single());
        await AttemptsSettleAt(runtime, 2, harness);
        runtime.Crash(runtime.Running.Single());
        await AttemptsSettleAt(runtime, 2);
        await AdvanceAndExpect(runtime, TimeSpan.FromSeconds(1), 3);
        await ServingAsync(harness);

        // Serving for StableAfter resets the count: the next death is replaced at once again.
        Clock.Advance(TimeSpan.FromSeconds(10));
        await Task.Delay(100);
        runtime.Crash(runtime.Running.Single());
        await AttemptsSettleAt(runtime, 4);
    }

    private async Task ServingAsync(SupervisorHarness harness)
    {
        // Heartbeat timers run on the virtual clock: tick them until the replica serves.
        await AwaitAssertAsync(() =>
        {
            Clock.Advance(TimeSpan.FromMilliseconds(10));
            Assert.Single(harness.RingReplicas);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));
    }

    private async Task AttemptsSettleAt(FakeRuntime runtime, int expected, SupervisorHarness? serveWith = null)
    {
        await AwaitAssertAsync(() => Assert.Equal(expected, runtime.Starts.Count), TimeSpan.FromSeconds(5));
        if (serveWith is not null)
        {
            await ServingAsync(serveWith);
        }

        await Task.Delay(150);
        Assert.Equal(expected, runtime.Starts.Count);
    }

    private async Task AdvanceAndExpect(FakeRuntime runtime, TimeSpan by, int expected)
    {
        Clock.Advance(by);
        await AttemptsSettleAt(runtime, expected);
    }
}
