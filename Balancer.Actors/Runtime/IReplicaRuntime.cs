namespace Balancer.Actors.Runtime;

/// <summary>
/// Runs replicas: as local processes (the embedded default) or as Docker containers. Implementations
/// are thread-safe; the supervisor's actors call them from PipeTo continuations. Every failure comes
/// back as a faulted task, never as an exception thrown by the call itself, so PipeTo always sees it.
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

    /// <summary>
    /// Stops and removes this very replica: the one with <see cref="RunningReplica.InstanceId"/>, never
    /// whatever carries its name now (a replacement may have taken it). Stopping one that is gone, or
    /// one this runtime does not own, is not an error and touches nothing.
    /// </summary>
    Task StopAsync(RunningReplica replica, CancellationToken cancellationToken);

    /// <summary>
    /// The replicas of this runtime that run now (for adoption at start-up and reconciliation). All of
    /// them or a failure: never a partial or empty list because the runtime could not look. Oldest first
    /// where the runtime knows when each started (containers).
    /// </summary>
    /// <exception cref="RuntimeUnavailableException">The runtime cannot tell what runs now.</exception>
    Task<IReadOnlyList<RunningReplica>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Registers a callback for replicas that exit for any reason, asked for or not. The callback may
    /// run on any thread and must not block. Dispose the result to unsubscribe.
    /// </summary>
    IDisposable SubscribeToExits(Action<ReplicaExited> onExit);
}
