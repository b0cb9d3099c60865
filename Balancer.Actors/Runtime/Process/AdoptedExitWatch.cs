using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Balancer.Actors.Runtime.Process;

/// <summary>
/// Notices the exits of adopted replicas by polling /proc (an adopted process is no child of this one, so the
/// kernel tells this process nothing when it ends). One loop for all of them, running while any is watched;
/// each exit is reported once, then the process is forgotten.
/// </summary>
internal sealed class AdoptedExitWatch(TimeSpan interval, Action<AdoptedProcess> onExit, ILogger logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, AdoptedProcess> watched = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock startLock = new();
    private Task? loop;
    private int disposed;

    public int Count => watched.Count;

    public IEnumerable<AdoptedProcess> All => watched.Values;

    /// <summary>Watches this process (once per pid); false when it is watched already.</summary>
    public bool Add(AdoptedProcess adopted)
    {
        if (!watched.TryAdd(adopted.Identity.Pid, adopted))
        {
            return false;
        }

        lock (startLock)
        {
            if (!stopping.IsCancellationRequested)
            {
                loop ??= Task.Run(() => RunAsync(stopping.Token));
            }
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        lock (startLock)
        {
            stopping.Cancel();
        }

        if (loop is not null)
        {
            await loop;
        }

        stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var adopted in watched.Values)
                {
                    if (!adopted.Identity.IsAlive && watched.TryRemove(adopted.Identity.Pid, out _))
                    {
                        Report(adopted);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private void Report(AdoptedProcess adopted)
    {
        try
        {
            onExit(adopted);
        }
        catch (Exception exception)
        {
            // The loop watches the others whatever one report does.
            logger.LogError(exception, "Reporting the exit of adopted replica {Hostname} failed", adopted.Replica.Hostname);
        }
        finally
        {
            adopted.MarkExitReported();
        }
    }
}
