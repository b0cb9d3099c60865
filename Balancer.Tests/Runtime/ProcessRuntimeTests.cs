using Balancer.Actors.Runtime;
using Balancer.Actors.Runtime.Process;
using Balancer.Tests.Support;

namespace Balancer.Tests.Runtime;

/// <summary>The process runtime on its own, with real ReplicaServer processes.</summary>
public sealed class ProcessRuntimeTests : IAsyncLifetime
{
    private readonly RuntimeUnderTest under = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await under.DisposeAsync();

    [Fact]
    public async Task AMissingReplicaServerIsAFaultedStartNotAThrow()
    {
        await using var missing = new ProcessRuntime(new ProcessRuntimeOptions { ReplicaServerPath = "/nonexistent/ReplicaServer" });

        // Called outside any lambda: a synchronous throw would fail the test right here.
        var start = missing.StartAsync("S1", CancellationToken.None);

        var error = await Assert.ThrowsAsync<RuntimeUnavailableException>(() => start);
        Assert.Contains("/nonexistent/ReplicaServer", error.Message);
        Assert.Empty(await missing.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ANameThatRunsIsAFaultedStartToo()
    {
        await StartAsync("S1");

        var again = under.Runtime.StartAsync("S1", CancellationToken.None);

        await Assert.ThrowsAsync<ReplicaNameConflictException>(() => again);
    }

    [Fact]
    public async Task StoppingADeadReplicaLeavesTheNewerProcessWithItsNameRunning()
    {
        var dead = await StartAsync("S1");
        Signals.Send("KILL", int.Parse(dead.InstanceId));
        await ExitOfAsync(dead);
        var newer = await StartAsync("S1");

        // What the dead replica's actor does last, after its successor was already started under the name.
        await under.Runtime.StopAsync(dead, CancellationToken.None);

        Assert.True(ReplicaProcesses.IsAlive(int.Parse(newer.InstanceId)), "the stop of the dead replica hit its successor");
        Assert.Equal([newer], await under.Runtime.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StopEndsTheProcessAndReportsTheExitBeforeItReturns()
    {
        var replica = await StartAsync("S1");

        await under.Runtime.StopAsync(replica, CancellationToken.None);

        Assert.False(ReplicaProcesses.IsAlive(int.Parse(replica.InstanceId)));
        Assert.True(under.TryTakeExit(out var exited), "the exit was not reported by the time the stop returned");
        Assert.Equal(replica.InstanceId, exited.InstanceId);
        Assert.Empty(await under.Runtime.ListAsync(CancellationToken.None));
    }

    private Task<RunningReplica> StartAsync(string hostname) => under.StartAsync(hostname);

    private Task ExitOfAsync(RunningReplica replica) => under.ExitOfAsync(replica);
}
