using Akka.Actor;
using Balancer.Actors.Supervision;
using Balancer.Tests.Support;
using Xunit.Abstractions;

namespace Balancer.Tests.Supervision;

/// <summary>The supervisor with real ReplicaServer processes on free loopback ports.</summary>
public sealed class ProcessSupervisionTests(ITestOutputHelper output) : RealProcessSupervisorTest(output)
{
    protected override ReplicaSetOptions ReplicaSet { get; } = new() { Replicas = 3 };

    [Fact]
    public async Task SigkilledReplicaIsReplacedUnderANewName()
    {
        var victim = (await Runtime.ListAsync(default)).Single(replica => replica.Hostname == "S2");
        var joined = SubscribeTo<ReplicaJoined>();
        var killedAt = DateTimeOffset.UtcNow;

        Signals.Send("KILL", int.Parse(victim.InstanceId));

        var replacement = await joined.ExpectMsgAsync<ReplicaJoined>(TimeSpan.FromSeconds(20));
        Output.WriteLine($"SIGKILL -> replacement serving and in the ring: {(replacement.At - killedAt).TotalMilliseconds:0} ms");
        Assert.NotEqual("S2", replacement.Replica.Hostname);
        await AssertSetMatchesLiveProcessesAsync(excluding: "S2");
    }

    [Fact]
    public async Task SigstoppedReplicaIsDeclaredDeadAndReplaced()
    {
        var victim = (await Runtime.ListAsync(default)).Single(replica => replica.Hostname == "S1");
        var deaths = SubscribeTo<ReplicaDeathDetected>();
        var stoppedAt = DateTimeOffset.UtcNow;

        Signals.Send("STOP", int.Parse(victim.InstanceId));

        var death = await deaths.ExpectMsgAsync<ReplicaDeathDetected>(TimeSpan.FromSeconds(20));
        Output.WriteLine($"SIGSTOP -> declared dead: {(death.At - stoppedAt).TotalMilliseconds:0} ms ({death.Reason})");
        Assert.Equal("S1", death.Hostname);
        Assert.Contains("heartbeats", death.Reason);
        await AssertSetMatchesLiveProcessesAsync(excluding: "S1");
        // The hung process itself does not linger: it is killed once it ignores the stop.
        await AwaitAssertAsync(() => Assert.False(ReplicaProcesses.IsAlive(int.Parse(victim.InstanceId))), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ShuttingDownLeavesNoReplicaServerProcessBehind()
    {
        await Harness.Supervisor.Ask<ReplicasShutDown>(ShutDownReplicas.Instance, TimeSpan.FromSeconds(20));
        await Sys.Terminate();

        Assert.NotEmpty(SeenPids);
        Assert.All(SeenPids, pid => Assert.False(ReplicaProcesses.IsAlive(pid), $"process {pid} outlived the balancer"));
        Assert.Empty(await Runtime.ListAsync(default));
    }

    private Akka.TestKit.TestProbe SubscribeTo<T>()
    {
        var probeActor = CreateTestProbe();
        Sys.EventStream.Subscribe(probeActor.Ref, typeof(T));
        return probeActor;
    }

    private async Task AssertSetMatchesLiveProcessesAsync(string excluding)
    {
        await AwaitAssertAsync(async () =>
        {
            var listed = await Harness.ListAsync();
            var running = await Runtime.ListAsync(default);
            Assert.Equal(3, listed.Count);
            Assert.DoesNotContain(excluding, listed);
            Assert.Equal(listed.Order(), Harness.RingReplicas.Order());
            Assert.Equal(listed.Order(), running.Select(replica => replica.Hostname).Order());
            Assert.All(running, replica => Assert.True(ReplicaProcesses.IsAlive(int.Parse(replica.InstanceId))));
        }, TimeSpan.FromSeconds(20));
        await RecordPidsAsync();
    }
}
