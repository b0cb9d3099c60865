using System.Collections.Concurrent;
using System.Diagnostics;

namespace Experiments.Cluster;

/// <summary>
/// Clients on some nodes of a cluster: a few concurrent loops per node, each sending GET /home with random
/// six-digit ids, one request at a time. Every answer but a 200 from a replica, and every exception, is a failure.
/// </summary>
public sealed class ClusterLoad : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<string> failures = new();
    private readonly Task[] loops;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long completed;

    public ClusterLoad(IEnumerable<ClusterNode> nodes, int loopsPerNode, int seed)
    {
        loops = nodes.SelectMany(node => Enumerable.Range(0, loopsPerNode).Select(loop => RunAsync(node, new Random(seed + 97 * node.Number + loop))))
            .ToArray();
    }

    public long Completed => Interlocked.Read(ref completed);

    public IReadOnlyCollection<string> Failures => failures;

    public async Task<(long Completed, IReadOnlyList<string> Failures)> StopAsync()
    {
        await stopping.CancelAsync();
        await Task.WhenAll(loops);
        return (Completed, failures.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            await StopAsync();
        }

        stopping.Dispose();
    }

    private async Task RunAsync(ClusterNode node, Random random)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            var id = random.Next(100000, 1000000);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            timeout.CancelAfter(RequestTimeout);
            try
            {
                var response = await node.Api.HomeAsync(id, timeout.Token);
                if (response.Status != 200 || response.Replica is null)
                {
                    failures.Enqueue($"{clock.Elapsed.TotalSeconds:0.000} s node {node.Number} id {id}: {response.Status} {response.Body}");
                }

                Interlocked.Increment(ref completed);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
            {
                failures.Enqueue($"{clock.Elapsed.TotalSeconds:0.000} s node {node.Number} id {id}: {exception.GetType().Name} {exception.Message}");
                Interlocked.Increment(ref completed);
            }
        }
    }
}
