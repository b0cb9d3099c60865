using System.Collections.Concurrent;
using Balancer.Actors.Runtime;

namespace Balancer.Tests.Supervision;

/// <summary>A runtime in memory: tests crash, hang and fail replicas at will.</summary>
internal sealed class FakeRuntime : IReplicaRuntime
{
    private readonly ConcurrentDictionary<string, RunningReplica> running = new(StringComparer.OrdinalIgnoreCase);
    private readonly ExitSubscribers subscribers = new(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    private readonly ConcurrentQueue<string> starts = new();
    private readonly ConcurrentQueue<string> stops = new();
    private int nextInstance;

    /// <summary>Names whose start throws this exception.</summary>
    public Func<string, Exception?> FailStart { get; set; } = _ => null;

    public IReadOnlyCollection<string> Starts => starts.ToArray();

    public IReadOnlyCollection<string> Stops => stops.ToArray();

    public IReadOnlyCollection<string> Running => running.Keys.ToArray();

    public RunningReplica? Get(string hostname) => running.GetValueOrDefault(hostname);

    public Task<RunningReplica> StartAsync(string hostname, CancellationToken cancellationToken)
    {
        starts.Enqueue(hostname);
        if (FailStart(hostname) is { } failure)
        {
            return Task.FromException<RunningReplica>(failure);
        }

        var replica = new RunningReplica(hostname, new Uri($"http://fake-{hostname.ToLowerInvariant()}:5000"),
            $"fake-{Interlocked.Increment(ref nextInstance)}");
        if (!running.TryAdd(hostname, replica))
        {
            return Task.FromException<RunningReplica>(new ReplicaNameConflictException($"'{hostname}' already runs"));
        }

        return Task.FromResult(replica);
    }

    public Task StopAsync(RunningReplica replica, CancellationToken cancellationToken)
    {
        stops.Enqueue(replica.Hostname);
        // As the real runtimes: this very instance, never a newer one that took the name.
        if (((ICollection<KeyValuePair<string, RunningReplica>>)running).Remove(new(replica.Hostname, replica)))
        {
            subscribers.Raise(new ReplicaExited(replica.Hostname, replica.InstanceId, "stopped"));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunningReplica>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RunningReplica>>(running.Values.ToArray());

    public IDisposable SubscribeToExits(Action<ReplicaExited> onExit) => subscribers.Add(onExit);

    /// <summary>A replica that is already running before the supervisor starts (to be adopted).</summary>
    public RunningReplica Preexisting(string hostname)
    {
        var replica = new RunningReplica(hostname, new Uri($"http://fake-{hostname.ToLowerInvariant()}:5000"),
            $"fake-{Interlocked.Increment(ref nextInstance)}");
        running[hostname] = replica;
        return replica;
    }

    /// <summary>The replica's process ends on its own.</summary>
    public void Crash(string hostname)
    {
        if (running.TryRemove(hostname, out var replica))
        {
            subscribers.Raise(new ReplicaExited(hostname, replica.InstanceId, "crashed"));
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
