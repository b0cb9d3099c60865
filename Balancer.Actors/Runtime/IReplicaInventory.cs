namespace Balancer.Actors.Runtime;

/// <summary>
/// What the cluster knows to run: the replicas recorded in the replicated state, wherever they were
/// started. A new scheduler (the supervisor singleton on another node) reads it to adopt replicas whose
/// starter is gone; a runtime that cannot find its replicas by itself (processes) lists from it.
/// </summary>
public interface IReplicaInventory
{
    /// <summary>
    /// The recorded replicas (hostname, address, instance id: a process id or a container id), read with
    /// majority consistency where the cluster allows it. A failure is a faulted task, never an empty list.
    /// </summary>
    Task<IReadOnlyList<RunningReplica>> ReadAsync(CancellationToken cancellationToken);
}
