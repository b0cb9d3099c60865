using Akka.Actor;
using Balancer.Actors.Supervision;
using Xunit.Abstractions;

namespace Balancer.Tests.Supervision;

/// <summary>A warm spare with real ReplicaServer processes: a SIGKILLed replica's place is taken by the running spare.</summary>
public sealed class ProcessSparesTests(ITestOutputHelper output) : RealProcessSupervisorTest(output)
{
    protected override ReplicaSetOptions ReplicaSet { get; } = new() { Replicas = 3, Spares = 1 };

    protected override Task ReadyAsync() => AwaitAssertAsync(async () =>
    {
        Assert.Equal(3, Harness.RingReplicas.Count);
        Assert.Single((await SparesAsync()).Ready);
    }, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task ASigkilledReplicasPlaceIsTakenByTheRunningSpareAndANewSpareStarts()
    {
        var spare = Assert.Single((await SparesAsync()).Ready);
        var spareBefore = (await Runtime.ListAsync(default)).Single(replica => replica.Hostname == spare);
        var victim = (await Runtime.ListAsync(default)).Single(replica => replica.Hostname == "S2");
        var promotions = CreateTestProbe();
        Sys.EventStream.Subscribe(promotions.Ref, typeof(SparePromoted));
        var killedAt = DateTimeOffset.UtcNow;

        Signals.Send("KILL", int.Parse(victim.InstanceId));

        var promoted = await promotions.ExpectMsgAsync<SparePromoted>(TimeSpan.FromSeconds(20));
        Output.WriteLine($"measured: SIGKILL -> the spare serving in the ring: {(promoted.At - killedAt).TotalMilliseconds:0} ms");
        Assert.Equal((spare, "S2"), (promoted.Hostname, promoted.Replacing));
        Assert.Contains(spare, Harness.RingReplicas);
        Assert.Equal(spareBefore.Address, Harness.RouteOf(spare).Address);
        await AwaitAssertAsync(async () =>
        {
            var listed = await Harness.ListAsync();
            var spares = await SparesAsync();
            var running = await Runtime.ListAsync(default);
            Assert.Equal(["S1", "S3", spare], listed);
            var refill = Assert.Single(spares.Ready);
            Assert.Equal(listed.Append(refill).Order(), running.Select(replica => replica.Hostname).Order());
            Assert.All(running, replica => Assert.True(ReplicaProcesses.IsAlive(int.Parse(replica.InstanceId))));
        }, TimeSpan.FromSeconds(20));
        // The promoted spare is the same process it was, serving requests.
        Assert.Equal(spareBefore.InstanceId, (await Runtime.ListAsync(default)).Single(replica => replica.Hostname == spare).InstanceId);
        using var client = new HttpClient();
        Assert.Contains(spare, await client.GetStringAsync(new Uri(spareBefore.Address, "/home")));
        await RecordPidsAsync();
    }

    private Task<SpareSet> SparesAsync() => Harness.Supervisor.Ask<SpareSet>(GetSpares.Instance, TimeSpan.FromSeconds(5));

}
