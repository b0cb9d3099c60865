using System.Collections.Concurrent;
using System.Threading.Channels;
using Balancer.Actors.Runtime;

namespace Balancer.Tests.Docker;

/// <summary>Collects the exits a runtime reports, for a test to await them in order.</summary>
internal sealed class ExitRecorder
{
    private readonly Channel<ReplicaExited> pending = Channel.CreateUnbounded<ReplicaExited>();
    private readonly ConcurrentQueue<ReplicaExited> all = new();

    public IReadOnlyCollection<ReplicaExited> All => all;

    public void Record(ReplicaExited exited)
    {
        all.Enqueue(exited);
        pending.Writer.TryWrite(exited);
    }

    public async Task<ReplicaExited> NextAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await pending.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No ReplicaExited within {within.TotalSeconds} s.");
        }
    }
}
