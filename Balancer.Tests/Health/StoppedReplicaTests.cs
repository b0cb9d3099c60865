using System.Collections.Concurrent;
using System.Diagnostics;
using Balancer.Tests.Api;
using Balancer.Tests.Support;
using Experiments.Live.Balancers;

namespace Balancer.Tests.Health;

/// <summary>
/// The busiest replica (S1 owns most ids under the spec's hashes) is SIGSTOPped under load: a hang as the
/// balancer sees it (the process is there, its port accepts connections, nothing answers).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StoppedReplicaTests
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task EveryRequestIsAnsweredAndOnlyTheStoppedReplicaLeavesRep()
    {
        await using var balancer = await TestBalancer.StartAsync(3);
        var load = new LoadLoop(id => balancer.Api.HomeAsync(id), RandomIds());
        await using var stopped = await StopWhenServingAsync(balancer, load, "S1");

        var gone = await Eventually.HoldsAsync(async () =>
        {
            var (n, replicas) = await balancer.Api.ListAsync();
            return n == 3 && !replicas.Contains("S1");
        }, TimeSpan.FromSeconds(20));
        await load.StopAsync();
        var listed = (await balancer.Api.ListAsync()).Replicas;

        Assert.True(gone, $"S1 is still listed, or not replaced: {string.Join(", ", listed)}\n{balancer.Log}");
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} of {load.Completed} failed:\n" + string.Join("\n", load.Failures.Take(10)));
        // No false death: the replicas that kept answering are still there.
        Assert.Contains("S2", listed);
        Assert.Contains("S3", listed);
    }

    [Fact]
    public async Task RequestsToTheStoppedReplicaMoveOnInsteadOfWaitingTheFullAttemptTimeout()
    {
        // The default attempt timeout: without an adaptive one, every request for S1's ids would wait all of it.
        await using var balancer = await TestBalancer.StartAsync(3, $"--Balancer:Forwarding:AttemptTimeout={AttemptTimeout:c}");
        var slow = new ConcurrentQueue<long>();
        var load = new LoadLoop(async id =>
        {
            var watch = Stopwatch.StartNew();
            var response = await balancer.Api.HomeAsync(id);
            if (watch.Elapsed >= AttemptTimeout)
            {
                slow.Enqueue(id);
            }

            return response;
        }, FailoverTests.IdsOwnedBy("S1", 40));
        await using var stopped = await StopWhenServingAsync(balancer, load, "S1");

        var gone = await Eventually.HoldsAsync(async () => !(await balancer.Api.ListAsync()).Replicas.Contains("S1"), TimeSpan.FromSeconds(20));
        await load.StopAsync();

        Assert.True(gone, $"S1 is still listed\n{balancer.Log}");
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} of {load.Completed} failed:\n" + string.Join("\n", load.Failures.Take(10)));
        // Four workers each waited the full timeout at least once without it; allow one slow moment of a busy machine.
        Assert.True(slow.Count <= 1, $"{slow.Count} of {load.Completed} requests for S1's ids took the full {AttemptTimeout.TotalSeconds:0} s attempt timeout");
    }

    private static long[] RandomIds()
    {
        var random = new Random(13);
        return Enumerable.Range(0, 400).Select(_ => (long)random.Next(100_000, 1_000_000)).ToArray();
    }

    /// <summary>Waits until <paramref name="hostname"/> has served, then SIGSTOPs it; disposal lets it run again (it exits, asked to stop).</summary>
    private static async Task<StoppedProcess> StopWhenServingAsync(EmbeddedBalancer balancer, LoadLoop load, string hostname)
    {
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(load.ServedBy.GetValueOrDefault(hostname) > 50), TimeSpan.FromSeconds(20)),
            $"{hostname} should serve before it is stopped");
        var pid = balancer.ReplicaPids()[hostname];
        var started = ReplicaProcesses.StartTicks(pid);
        Signals.Send("STOP", pid);
        return new StoppedProcess(pid, started);
    }

    private sealed record StoppedProcess(int Pid, long? StartTicks) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            if (StartTicks is not null && ReplicaProcesses.StartTicks(Pid) == StartTicks)
            {
                Signals.Send("CONT", Pid);
            }

            return ValueTask.CompletedTask;
        }
    }
}
