using Akka.Actor;
using Akka.TestKit.Xunit2;
using Balancer.Actors.Runtime.Process;
using Balancer.Actors.Supervision;
using Xunit.Abstractions;

namespace Balancer.Tests.Supervision;

/// <summary>A warm spare with real ReplicaServer processes: a SIGKILLed replica's place is taken by the running spare.</summary>
public sealed class ProcessSparesTests : TestKit, IAsyncLifetime
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

    public ProcessSparesTests(ITestOutputHelper output) : base(output: output) => this.output = output;

    public async Task InitializeAsync()
    {
        harness = new SupervisorHarness(Sys, runtime, probe, new SupervisorOptions
        {
            ReplicaSet = new ReplicaSetOptions { Replicas = 3, Spares = 1 },
            Heartbeat = Heartbeats,
        });
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(3, harness.RingReplicas.Count);
            Assert.Single((await SparesAsync()).Ready);
        }, TimeSpan.FromSeconds(30));
        await RecordPidsAsync();
    }

    public async Task DisposeAsync()
    {
        await runtime.DisposeAsync();
        probe.Dispose();
        foreach (var pid in seenPids.Where(ReplicaProcesses.IsAlive))
        {
            Signals.Send("KILL", pid);
        }
    }

    [Fact]
    public async Task ASigkilledReplicasPlaceIsTakenByTheRunningSpareAndANewSpareStarts()
    {
        var spare = Assert.Single((await SparesAsync()).Ready);
        var spareBefore = (await runtime.ListAsync(default)).Single(replica => replica.Hostname == spare);
        var victim = (await runtime.ListAsync(default)).Single(replica => replica.Hostname == "S2");
        var promotions = CreateTestProbe();
        Sys.EventStream.Subscribe(promotions.Ref, typeof(SparePromoted));
        var killedAt = DateTimeOffset.UtcNow;

        Signals.Send("KILL", int.Parse(victim.InstanceId));

        var promoted = await promotions.ExpectMsgAsync<SparePromoted>(TimeSpan.FromSeconds(20));
        output.WriteLine($"measured: SIGKILL -> the spare serving in the ring: {(promoted.At - killedAt).TotalMilliseconds:0} ms");
        Assert.Equal((spare, "S2"), (promoted.Hostname, promoted.Replacing));
        Assert.Contains(spare, harness.RingReplicas);
        Assert.Equal(spareBefore.Address, harness.RouteOf(spare).Address);
        await AwaitAssertAsync(async () =>
        {
            var listed = await harness.ListAsync();
            var spares = await SparesAsync();
            var running = await runtime.ListAsync(default);
            Assert.Equal(["S1", "S3", spare], listed);
            var refill = Assert.Single(spares.Ready);
            Assert.Equal(listed.Append(refill).Order(), running.Select(replica => replica.Hostname).Order());
            Assert.All(running, replica => Assert.True(ReplicaProcesses.IsAlive(int.Parse(replica.InstanceId))));
        }, TimeSpan.FromSeconds(20));
        // The promoted spare is the same process it was, serving requests.
        Assert.Equal(spareBefore.InstanceId, (await runtime.ListAsync(default)).Single(replica => replica.Hostname == spare).InstanceId);
        using var client = new HttpClient();
        Assert.Contains(spare, await client.GetStringAsync(new Uri(spareBefore.Address, "/home")));
        await RecordPidsAsync();
    }

    private Task<SpareSet> SparesAsync() => harness.Supervisor.Ask<SpareSet>(GetSpares.Instance, TimeSpan.FromSeconds(5));

    private async Task RecordPidsAsync()
    {
        foreach (var replica in await runtime.ListAsync(default))
        {
            seenPids.Add(int.Parse(replica.InstanceId));
        }
    }
}
