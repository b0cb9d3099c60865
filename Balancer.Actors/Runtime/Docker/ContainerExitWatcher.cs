using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace Balancer.Actors.Runtime.Docker;

/// <summary>
/// Follows the engine's event stream for this instance's containers and reports each one that dies
/// (a crash, a kill or a stop: the engine sends <c>die</c> for all of them) exactly once.
/// </summary>
/// <remarks>
/// Each (re)connection first reads the engine's clock, then lists the running containers, then streams
/// events since that clock reading. A container that was running before and is missing from the list
/// died while the stream was down and is reported then; one that dies after the clock reading is
/// replayed by the engine. A container is reported only while it is in the running set, so whatever
/// both paths see is reported once.
/// </remarks>
internal sealed class ContainerExitWatcher(
    DockerClient client,
    DockerCall call,
    OwnContainers ownContainers,
    DockerRuntimeOptions options,
    ExitSubscribers subscribers,
    ILogger logger) : IAsyncDisposable
{
    // Guards both tables; events and starts are rare enough for one lock.
    private readonly Lock stateLock = new();

    // The containers believed running, by id: only live ones, so it stays as small as the replica set.
    private readonly Dictionary<string, string> running = [];

    // Starts in progress (between create and the end of StartAsync), with whether the container died
    // meanwhile, so a Track that loses the race with a quick death does not revive it. An entry lives
    // only as long as its start.
    private readonly Dictionary<string, bool> starting = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock startLock = new();
    private Task? loop;

    /// <summary>Starts following events, once; later calls do nothing.</summary>
    public void EnsureStarted()
    {
        lock (startLock)
        {
            loop ??= Task.Run(() => RunAsync(stopping.Token));
        }
    }

    /// <summary>The runtime is about to start this container: its events may come before <see cref="Track"/>.</summary>
    public void BeginStart(string containerId)
    {
        lock (stateLock)
        {
            starting[containerId] = false;
        }
    }

    /// <summary>Tells the watcher about a container the runtime just started, before its start event arrives.</summary>
    public void Track(string containerId, string hostname) => MarkRunning(containerId, hostname);

    /// <summary>The runtime gave up on a container it was starting (and removes it): nothing to report.</summary>
    public void Forget(string containerId)
    {
        lock (stateLock)
        {
            running.Remove(containerId);
        }
    }

    /// <summary>The start is over, successful or not.</summary>
    public void EndStart(string containerId)
    {
        lock (stateLock)
        {
            starting.Remove(containerId);
        }
    }

    /// <summary>How many containers the watcher holds state for (for the tests: only live ones and starts in progress).</summary>
    internal int Tracked
    {
        get
        {
            lock (stateLock)
            {
                return running.Count + starting.Count;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (loop is not null)
        {
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
                // Asked to stop.
            }
        }

        stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = options.EventReconnectInitialDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var since = await EngineClockAsync(cancellationToken);
                await ReconcileAsync(cancellationToken);
                delay = options.EventReconnectInitialDelay;
                await StreamEventsAsync(since, cancellationToken);
                logger.LogWarning("The Docker event stream ended; reconnecting");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning("The Docker event stream is down ({Reason}); retrying in {Delay} ms", exception.Message, delay.TotalMilliseconds);
            }

            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.EventReconnectMaxDelay.Ticks));
        }
    }

    /// <summary>The engine's current time as a <c>since</c> value, so no clock skew between host and engine matters.</summary>
    private async Task<string> EngineClockAsync(CancellationToken cancellationToken)
    {
        var info = await call.RunAsync("read engine time", token => client.System.GetSystemInfoAsync(token), cancellationToken);
        return EngineTime.ToSince(info.SystemTime);
    }

    /// <summary>
    /// Reports the containers believed running that the engine no longer lists. On the first connection
    /// the set holds only containers this runtime started itself, so nothing older is reported.
    /// </summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        // Only what was believed running before the listing: a container tracked while the listing
        // runs may be missing from it without having died.
        KeyValuePair<string, string>[] before;
        lock (stateLock)
        {
            before = running.ToArray();
        }

        var listed = (await ownContainers.ListRunningAsync(cancellationToken)).ToDictionary(r => r.InstanceId, r => r.Hostname);
        foreach (var (id, hostname) in before)
        {
            if (!listed.ContainsKey(id))
            {
                Report(id, hostname, "container stopped while the Docker event stream was down");
            }
        }

        foreach (var (id, hostname) in listed)
        {
            MarkRunning(id, hostname);
        }
    }

    private Task StreamEventsAsync(string since, CancellationToken cancellationToken)
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>
        {
            ["type"] = new Dictionary<string, bool> { ["container"] = true },
            ["event"] = new Dictionary<string, bool> { ["start"] = true, ["die"] = true },
            ["label"] = DockerLabels.InstanceFilter(options.InstanceId),
        };
        logger.LogDebug("Following Docker events since {Since}", since);
        return client.System.MonitorEventsAsync(
            new ContainerEventsParameters { Since = since, Filters = filters },
            new DirectProgress(OnEvent),
            cancellationToken);
    }

    private void OnEvent(Message message)
    {
        var id = message.Actor?.ID;
        if (id is null)
        {
            return;
        }

        var attributes = message.Actor!.Attributes ?? new Dictionary<string, string>();
        var hostname = attributes.TryGetValue(DockerLabels.Replica, out var label) ? label
            : attributes.TryGetValue("name", out var name) ? name
            : id;

        if (message.Action == "start")
        {
            MarkRunning(id, hostname);
        }
        else if (message.Action == "die")
        {
            var exitCode = attributes.TryGetValue("exitCode", out var code) ? code : "unknown";
            Report(id, hostname, $"container died (exit code {exitCode})");
        }
    }

    private void MarkRunning(string id, string hostname)
    {
        lock (stateLock)
        {
            if (!(starting.TryGetValue(id, out var died) && died))
            {
                running[id] = hostname;
            }
        }
    }

    /// <summary>Raises the exit once per container: only the path that takes it out of the running set reports it.</summary>
    private void Report(string id, string hostname, string reason)
    {
        bool wasRunning;
        lock (stateLock)
        {
            wasRunning = running.Remove(id);
            if (starting.ContainsKey(id))
            {
                starting[id] = true;
            }
        }

        if (wasRunning)
        {
            subscribers.Raise(new ReplicaExited(hostname, id, reason));
        }
    }

    /// <summary>Calls the handler on the stream's own thread, in order (<see cref="Progress{T}"/> would post to the thread pool and could reorder).</summary>
    private sealed class DirectProgress(Action<Message> handler) : IProgress<Message>
    {
        public void Report(Message value) => handler(value);
    }
}
