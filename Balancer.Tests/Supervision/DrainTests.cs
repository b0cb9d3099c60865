using Akka.TestKit.Xunit2;
using Balancer.Actors.Routing;
using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision;

/// <summary>
/// A removed replica leaves the ring at once and is stopped once its requests in flight are done: the ones
/// counted on the route object the ring published, as the forwarder counts them.
/// </summary>
public sealed class DrainTests : TestKit
{
    private readonly FakeRuntime runtime = new();

    private async Task<SupervisorHarness> StartAsync(TimeSpan drainTimeout)
    {
        var harness = new SupervisorHarness(Sys, runtime, new FakeProbe(runtime),
            new SupervisorOptions
            {
                ReplicaSet = new ReplicaSetOptions { DrainTimeout = drainTimeout },
                Heartbeat = SupervisorHarness.FastHeartbeats,
            });
        await AwaitAssertAsync(() => Assert.Equal(3, harness.RingReplicas.Count), TimeSpan.FromSeconds(5));
        return harness;
    }

    [Fact]
    public async Task RemovalWaitsForRequestsInFlightBeforeStopping()
    {
        var harness = await StartAsync(TimeSpan.FromSeconds(10));
        var s2 = harness.RouteOf("S2");
        var inFlight = new[] { HashedRoutePicker.Instance.Acquire(s2), HashedRoutePicker.Instance.Acquire(s2) };

        var removal = harness.RemoveAsync(1, "S2");

        await AwaitAssertAsync(() => Assert.DoesNotContain("S2", harness.RingReplicas), TimeSpan.FromSeconds(5));
        await Task.Delay(300);
        Assert.False(removal.IsCompleted);
        Assert.Contains("S2", runtime.Running);

        Array.ForEach(inFlight, lease => lease.Dispose());

        Assert.Equal(["S1", "S3"], Assert.IsType<ReplicaSet>(await removal).Replicas);
        Assert.DoesNotContain("S2", runtime.Running);
    }

    [Fact]
    public async Task DrainIsBoundedByTheDrainTimeout()
    {
        var harness = await StartAsync(TimeSpan.FromMilliseconds(300));
        using var neverFinishes = HashedRoutePicker.Instance.Acquire(harness.RouteOf("S1"));

        var reply = await harness.RemoveAsync(1, "S1");

        Assert.Equal(["S2", "S3"], Assert.IsType<ReplicaSet>(reply).Replicas);
        Assert.DoesNotContain("S1", runtime.Running);
    }
}
