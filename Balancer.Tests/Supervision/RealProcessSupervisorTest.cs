using Akka.TestKit.Xunit2;
using Balancer.Actors.Runtime.Process;
using Balancer.Actors.Supervision;
using Balancer.Tests.Support;
using Xunit.Abstractions;

namespace Balancer.Tests.Supervision;

/// <summary>
/// The supervisor with real ReplicaServer processes on free loopback ports: the set-up the process tests
/// share, and a sweep of every replica process a test saw, however it ended.
/// </summary>
public abstract class RealProcessSupervisorTest(ITestOutputHelper output) : TestKit(output: output), IAsyncLifetime
{
    protected static readonly HeartbeatOptions Heartbeats = new()
    {
        Interval = TimeSpan.FromMilliseconds(200),
        Timeout = TimeSpan.FromMilliseconds(500),
        MissesBeforeDead = 3,
        StartTimeout = TimeSpan.FromSeconds(20),
    };

    private readonly HttpReplicaProbe probe = new();
    private readonly HashSet<int> seenPids = [];

    protected ProcessRuntime Runtime { get; } = new(new ProcessRuntimeOptions { StopTimeout = TimeSpan.FromSeconds(2) });

    /// <summary>Every replica process the test has seen (swept at the end).</summary>
    protected IReadOnlyCollection<int> SeenPids => seenPids;

    private protected SupervisorHarness Harness { get; private set; } = null!;

    /// <summary>The replica set the supervisor keeps.</summary>
    protected abstract ReplicaSetOptions ReplicaSet { get; }

    public async Task InitializeAsync()
    {
        Harness = new SupervisorHarness(Sys, Runtime, probe, new SupervisorOptions { ReplicaSet = ReplicaSet, Heartbeat = Heartbeats });
        await ReadyAsync();
        await RecordPidsAsync();
    }

    public async Task DisposeAsync()
    {
        await Runtime.DisposeAsync();
        probe.Dispose();
        foreach (var pid in seenPids.Where(ReplicaProcesses.IsAlive))
        {
            Signals.Send("CONT", pid);
            Signals.Send("KILL", pid);
        }
    }

    /// <summary>Waits until the set serves: by default, N replicas in the ring.</summary>
    protected virtual Task ReadyAsync() =>
        AwaitAssertAsync(() => Assert.Equal(ReplicaSet.Replicas, Harness.RingReplicas.Count), TimeSpan.FromSeconds(30));

    protected async Task RecordPidsAsync()
    {
        foreach (var replica in await Runtime.ListAsync(default))
        {
            seenPids.Add(int.Parse(replica.InstanceId));
        }
    }
}
