using System.Threading.Channels;
using Balancer.Actors.Runtime;
using Balancer.Actors.Runtime.Process;
using Balancer.Tests.Support;

namespace Balancer.Tests.Runtime;

/// <summary>
/// A <see cref="ProcessRuntime"/> with real ReplicaServer processes, as the runtime tests use it: its exits
/// recorded, and every process it started killed at the end if it is still alive.
/// </summary>
internal sealed class RuntimeUnderTest : IAsyncDisposable
{
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private readonly Channel<ReplicaExited> exits = Channel.CreateUnbounded<ReplicaExited>();
    private readonly HashSet<int> pids = [];
    private readonly IDisposable subscription;

    public RuntimeUnderTest()
    {
        Runtime = new ProcessRuntime(new ProcessRuntimeOptions { StopTimeout = TimeSpan.FromSeconds(2) });
        subscription = Runtime.SubscribeToExits(exited => exits.Writer.TryWrite(exited));
    }

    public ProcessRuntime Runtime { get; }

    public async Task<RunningReplica> StartAsync(string hostname)
    {
        var replica = await Runtime.StartAsync(hostname, CancellationToken.None);
        pids.Add(int.Parse(replica.InstanceId));
        return replica;
    }

    /// <summary>Waits until the runtime reports that this instance (not another of its name) exited.</summary>
    public async Task ExitOfAsync(RunningReplica replica)
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

    /// <summary>An exit reported already, without waiting; false when none was.</summary>
    public bool TryTakeExit(out ReplicaExited exited) => exits.Reader.TryRead(out exited!);

    public async ValueTask DisposeAsync()
    {
        subscription.Dispose();
        await Runtime.DisposeAsync();
        foreach (var pid in pids.Where(ReplicaProcesses.IsAlive))
        {
            Signals.Send("KILL", pid);
        }
    }
}
