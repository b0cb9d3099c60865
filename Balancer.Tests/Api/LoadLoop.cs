using System.Collections.Concurrent;
using Experiments.Live;

namespace Balancer.Tests.Api;

/// <summary>
/// Sends a fixed set of request ids through a balancer (a process or a deployed container: whatever
/// <c>home</c> calls) from a few workers until stopped (or a hard time limit), recording every failure
/// and who served each request.
/// </summary>
internal sealed class LoadLoop
{
    private static readonly TimeSpan HardLimit = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource stop = new(HardLimit);
    private readonly ConcurrentQueue<string> failures = new();
    private readonly ConcurrentDictionary<string, int> servedBy = new();
    private readonly ConcurrentDictionary<string, TimeSpan> firstServed = new();
    private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Task[] workers;
    private int completed;

    public LoadLoop(Func<long, Task<ApiResponse>> home, IReadOnlyList<long> ids, int workerCount = 4)
    {
        workers = Enumerable.Range(0, workerCount).Select(worker => Task.Run(async () =>
        {
            for (var index = worker; !stop.IsCancellationRequested; index += workerCount)
            {
                var id = ids[index % ids.Count];
                try
                {
                    var (status, body, replica) = await home(id);
                    if (status != 200 || replica is null)
                    {
                        failures.Enqueue($"id {id}: status {status} {body}");
                    }
                    else
                    {
                        servedBy.AddOrUpdate(replica, 1, (_, count) => count + 1);
                        firstServed.TryAdd(replica, clock.Elapsed);
                    }
                }
                catch (Exception exception) when (!stop.IsCancellationRequested)
                {
                    failures.Enqueue($"id {id}: {exception.GetType().Name} {exception.Message}");
                }
                catch (Exception)
                {
                    // Stopping: the last request was cut off on purpose.
                }

                Interlocked.Increment(ref completed);
            }
        })).ToArray();
    }

    public int Completed => Volatile.Read(ref completed);

    public IReadOnlyCollection<string> Failures => failures.ToArray();

    public IReadOnlyDictionary<string, int> ServedBy => servedBy;

    /// <summary>Time since the loop started.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>When each replica answered its first request, on the <see cref="Elapsed"/> clock.</summary>
    public IReadOnlyDictionary<string, TimeSpan> FirstServed => firstServed;

    public async Task StopAsync()
    {
        stop.Cancel();
        await Task.WhenAll(workers);
    }
}
