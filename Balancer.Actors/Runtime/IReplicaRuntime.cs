namespace Balancer.Actors.Runtime;

/// <summary>
/// Runs replicas: as local processes (the embedded default) or as Docker containers. Implementations
/// are thread-safe; the supervisor's actors call them from PipeTo continuations.
/// </summary>
public interface IReplicaRuntime : IAsyncDisposable
{
    /// <summary>
    /// Starts a replica that answers as <paramref name="hostname"/> and returns where it can be reached.
    /// Completes once the replica was launched, not once it serves: the caller heartbeats it for that.
    /// </summary>
    /// <exception cref="ReplicaNameConflictException">Something already runs under that name.</exception>
    /// <exception cref="RuntimeUnavailableException">The runtime cannot start replicas now.</exception>
    Task<RunningReplica> StartAsync(string hostname, CancellationToken cancellationToken);

    /// <summary>Stops and removes a replica this runtime started. Stopping one that is gone is not an error.</summary>
    Task StopAsync(string hostname, CancellationToken cancellationToken);

    /// <summary>The replicas of this runtime that run now (for adoption at start-up and reconciliation).</summary>
    Task<IReadOnlyList<RunningReplica>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Registers a callback for replicas that exit for any reason, asked for or not. The callback may
    /// run on any thread and must not block. Dispose the result to unsubscribe.
    /// </summary>
    IDisposable SubscribeToExits(Action<ReplicaExited> onExit);
}
