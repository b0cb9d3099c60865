using System.Threading.Channels;
using Balancer.Actors.Runtime;
using Balancer.Actors.Runtime.Process;
using Balancer.Tests.Support;

namespace Balancer.Tests.Runtime;

/// <summary>The process runtime on its own, with real ReplicaServer processes.</summary>
public sealed class ProcessRuntimeTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private readonly ProcessRuntime runtime = new(new ProcessRuntimeOptions { StopTimeout = TimeSpan.FromSeconds(2) });
    private readonly Channel<ReplicaExited> exits = Channel.CreateUnbounded<ReplicaExited>();
    private readonly HashSet<int> pids = [];
    private IDisposable? subscription;

    public Task InitializeAsync()
    {
        subscription = runtime.SubscribeToExits(exited => exits.Writer.TryWrite(exited));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        subscription?.Dispose();
        await runtime.DisposeAsync();
        foreach (var pid in pids.Where(ReplicaProcesses.IsAlive))
        {
            Signals.Send("KILL", pid);
        }
    }

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

        var again = runtime.StartAsync("S1", CancellationToken.None);

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
        await runtime.StopAsync(dead, CancellationToken.None);

        Assert.True(ReplicaProcesses.IsAlive(int.Parse(newer.InstanceId)), "the stop of the dead replica hit its successor");
        Assert.Equal([newer], await runtime.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StopEndsTheProcessAndReportsTheExitBeforeItReturns()
    {
        var replica = await StartAsync("S1");

        await runtime.StopAsync(replica, CancellationToken.None);

        Assert.False(ReplicaProcesses.IsAlive(int.Parse(replica.InstanceId)));
        Assert.True(exits.Reader.TryRead(out var exited), "the exit was not reported by the time the stop returned");
        Assert.Equal(replica.InstanceId, exited.InstanceId);
        Assert.Empty(await runtime.ListAsync(CancellationToken.None));
    }

    private async Task<RunningReplica> StartAsync(string hostname)
    {
        var replica = await runtime.StartAsync(hostname, CancellationToken.None);
        pids.Add(int.Parse(replica.InstanceId));
        return replica;
    }

    private async Task ExitOfAsync(RunningReplica replica)
    {
        using var timeout = new CancellationTokenSource(Within);
        while (true)
        {
            var exited = await exits.Reader.ReadAsync(timeout.Token);
            if (exited.InstanceId == replica.InstanceId)
            {
                return;
            }
        }
    }
}
