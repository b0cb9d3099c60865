namespace Balancer.Actors.Supervision;

/// <summary>
/// Everything the supervisor is given: the configured replica set and heartbeats, plus what follows
/// from the routing map (<see cref="MaxReplicas"/>) and the runtime (<see cref="StopReplicasOnShutdown"/>).
/// Not bound from configuration itself: the hosting assembles it from the bound options.
/// </summary>
public sealed record SupervisorOptions
{
    public ReplicaSetOptions ReplicaSet { get; init; } = new();

    public HeartbeatOptions Heartbeat { get; init; } = new();

    /// <summary>The most replicas the routing map can hold (N x K must fit in M for a ring).</summary>
    public int MaxReplicas { get; init; } = 56;

    /// <summary>
    /// Whether stopping the balancer stops its replicas (processes) or leaves them for the next balancer to
    /// adopt (containers).
    /// </summary>
    public bool StopReplicasOnShutdown { get; init; } = true;

    /// <summary>
    /// Cluster mode: the ring records N and its members for every node (a ReplicatedRingActor). The supervisor
    /// then reads them before it starts (a new singleton continues from the cluster's N) and tells the ring
    /// every change of N.
    /// </summary>
    public bool ReplicatedReplicaSet { get; init; }

    public BackoffPolicy Backoff { get; init; } = new();

    /// <summary>Where the supervisor counts what it did (the metrics read it).</summary>
    public SupervisorCounters Counters { get; init; } = new();

    /// <summary>Chooses random names and /rm victims; tests pass a seeded one so a run replays exactly.</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>How many /add and /rm may wait behind the one in progress; one more is refused at once.</summary>
    public int MaxQueuedChanges { get; init; } = 64;

    /// <summary>
    /// Every /add and /rm is answered within this time from its arrival, queueing included: the start timeout
    /// (its replicas must serve), the drain (an /rm's replicas finish their requests) and a margin.
    /// </summary>
    public TimeSpan ChangeDeadline => Heartbeat.StartTimeout + DrainTimeout + TimeSpan.FromSeconds(5);

    /// <summary>Replicas kept alive from start-up (N), as <see cref="ReplicaSet"/> says.</summary>
    public int Replicas => ReplicaSet.Replicas;

    /// <summary>Warm spares kept beside the N, as <see cref="ReplicaSet"/> says.</summary>
    public int Spares => ReplicaSet.Spares;

    /// <summary>How long a removed replica may finish requests in flight, as <see cref="ReplicaSet"/> says.</summary>
    public TimeSpan DrainTimeout => ReplicaSet.DrainTimeout;

    public IReadOnlyList<string> NamesForInitialReplicas() => ReplicaSet.NamesForInitialReplicas();
}
