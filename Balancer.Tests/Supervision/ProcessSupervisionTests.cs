using Akka.Actor;
using Akka.TestKit.Xunit2;
using Balancer.Actors.Runtime.Process;
using Balancer.Actors.Supervision;
using Balancer.Tests.Support;
using Xunit.Abstractions;

namespace Balancer.Tests.Supervision;

/// <summary>The supervisor with real ReplicaServer processes on free loopback ports.</summary>
public sealed class ProcessSupervisionTests : TestKit, IAsyncLifetime
{
    private static readonly HeartbeatOptions Heartbeats = new()
    {
        Interval = TimeSpan.FromMilliseconds(200),
        Timeout = TimeSpan.FromMilliseconds(500),
        MissesBeforeDead = 3,
        StartTimeout = TimeSpan.FromSeconds(20),
    };

    private readonly ITestOutputHelper output;
    private readonly ProcessRuntime runtime = new(new ProcessRuntimeOptions { StopTimeout = TimeSpan.FromSeconds(2) });
    private readonly HttpReplicaProbe probe = new();
    private readonly HashSet<int> seenPids = [];
    private SupervisorHarness harness = null!;

    public ProcessSupervisionTests(ITestOutputHelper output) : base(output: output) => this.output = output;

    public async Task InitializeAsync()
    {
        harness = new SupervisorHarness(Sys, runtime, probe, new SupervisorOptions { ReplicaSet = new ReplicaSetOptions { Replicas = 3 }, Heartbeat = Heartbeats });
        await AwaitAssertAsync(() => Assert.Equal(3, harness.RingReplicas.Count), TimeSpan.FromSeconds(30));
        await RecordPidsAsync();
    }

    public async Task DisposeAsync()
    {
        await runtime.DisposeAsync();
        probe.Dispose();
        foreach (var pid in seenPids.Where(ReplicaProcesses.IsAlive))
        {
            Signals.Send("CONT", pid);
            Signals.Send("KILL", pid);
        }
    }

    [Fact]
    public async Task SigkilledReplicaIsReplacedUnderANewName()
    {
        var victim = (await runtime.ListAsync(default)).Single(replica => replica.Hostname == "S2");
        var joined = SubscribeTo<ReplicaJoined>();
        var killedAt = DateTimeOffset.UtcNow;

        Signals.Send("KILL", int.Parse(victim.InstanceId));

        var replacement = await joined.ExpectMsgAsync<ReplicaJoined>(TimeSpan.FromSeconds(20));
        output.WriteLine($"SIGKILL -> replacement serving and in the ring: {(replacement.At - killedAt).TotalMilliseconds:0} ms");
        Assert.NotEqual("S2", replacement.Replica.Hostname);
        await AssertSetMatchesLiveProcessesAsync(excluding: "S2");
    }

    [Fact]
    public async Task SigstoppedReplicaIsDeclaredDeadAndReplaced()
    {
        var victim = (await runtime.ListAsync(default)).Single(replica => replica.Hostname == "S1");
        var deaths = SubscribeTo<ReplicaDeathDetected>();
        var stoppedAt = DateTimeOffset.UtcNow;

        Signals.Send("STOP", int.Parse(victim.InstanceId));

        var death = await deaths.ExpectMsgAsync<ReplicaDeathDetected>(TimeSpan.FromSeconds(20));
        output.WriteLine($"SIGSTOP -> declared dead: {(death.At - stoppedAt).TotalMilliseconds:0} ms ({death.Reason})");
        Assert.Equal("S1", death.Hostname);
        Assert.Contains("heartbeats", death.Reason);
        await AssertSetMatchesLiveProcessesAsync(excluding: "S1");
        // The hung process itself does not linger: it is killed once it ignores the stop.
        await AwaitAssertAsync(() => Assert.False(ReplicaProcesses.IsAlive(int.Parse(victim.InstanceId))), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ShuttingDownLeavesNoReplicaServerProcessBehind()
    {
        await harness.Supervisor.Ask<ReplicasShutDown>(ShutDownReplicas.Instance, TimeSpan.FromSeconds(20));
        await Sys.Terminate();

        Assert.NotEmpty(seenPids);
        Assert.All(seenPids, pid => Assert.False(ReplicaProcesses.IsAlive(pid), $"process {pid} outlived the balancer"));
        Assert.Empty(await runtime.ListAsync(default));
    }

    private Akka.TestKit.TestProbe SubscribeTo<T>()
    {
        var probeActor = CreateTestProbe();
        Sys.EventStream.Subscribe(probeActor.Ref, typeof(T));
        return probeActor;
    }

    private async Task RecordPidsAsync()
    {
        foreach (var replica in await runtime.ListAsync(default))
        {
            seenPids.Add(int.Parse(replica.InstanceId));
        }
    }

    private async Task AssertSetMatchesLiveProcessesAsync(string excluding)
    {
        await AwaitAssertAsync(async () =>
        {
            var listed = await harness.ListAsync();
            var running = await runtime.ListAsync(default);
            Assert.Equal(3, listed.Count);
            Assert.DoesNotContain(excluding, listed);
            Assert.Equal(listed.Order(), harness.RingReplicas.Order());
            Assert.Equal(listed.Order(), running.Select(replica => replica.Hostname).Order());
            Assert.All(running, replica => Assert.True(ReplicaProcesses.IsAlive(int.Parse(replica.InstanceId))));
        }, TimeSpan.FromSeconds(20));
        await RecordPidsAsync();
    }
}
