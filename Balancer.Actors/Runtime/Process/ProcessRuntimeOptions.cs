namespace Balancer.Actors.Runtime.Process;

/// <summary>
/// Settings of the process runtime. The balancer binds them from the <c>Balancer</c> section
/// (<c>ReplicaServerPath</c>, <c>ReplicaLogDirectory</c>), where an empty value means the default, and from
/// <c>Balancer:Process</c> (<c>OutliveBalancer</c>, <c>OrphanAfter</c>, <c>InstanceId</c>: cluster mode).
/// </summary>
public sealed record ProcessRuntimeOptions
{
    /// <summary>The copy of ReplicaServer the build places next to the balancer.</summary>
    public static string DefaultReplicaServerPath { get; } = Path.Combine(AppContext.BaseDirectory, "ReplicaServer");

    /// <summary>The ReplicaServer build: its apphost (<c>ReplicaServer</c>) or <c>ReplicaServer.dll</c>.</summary>
    public string ReplicaServerPath
    {
        get;
        init => field = string.IsNullOrEmpty(value) ? DefaultReplicaServerPath : value;
    } = DefaultReplicaServerPath;

    /// <summary>Where each replica's output goes (one file per replica); null drains and drops it.</summary>
    public string? ReplicaLogDirectory
    {
        get;
        init => field = string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>
    /// Cluster mode (the cluster hosting sets it): replicas are started without the watch on their standard
    /// input, with the orphan rule instead, and outlive this balancer node, so the scheduler on another node
    /// adopts them. Off, a replica ends with the balancer that started it, however it ends.
    /// </summary>
    public bool OutliveBalancer { get; init; }

    /// <summary>
    /// With <see cref="OutliveBalancer"/>: a replica exits once no node has heartbeated it for this long
    /// (ReplicaServer's <c>REPLICA_ORPHAN_AFTER</c>). Longer than a singleton hand-over (failure detection,
    /// the split-brain resolver's stable-after, the new singleton's listing), or replicas would end during one.
    /// </summary>
    public TimeSpan OrphanAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Marks every replica this runtime starts (environment <see cref="InstanceVariable"/>): a process adopted
    /// from the cluster's inventory must carry it, with its SERVER_ID and address, or its pid belongs to
    /// someone else by now; <c>make cluster</c> finds its replicas by it. Nodes of one cluster share it.
    /// </summary>
    public string InstanceId
    {
        get;
        init => field = string.IsNullOrWhiteSpace(value) ? DefaultInstanceId : value;
    } = DefaultInstanceId;

    public const string DefaultInstanceId = "balancer";

    /// <summary>The environment variable that carries <see cref="InstanceId"/> on a replica process.</summary>
    public const string InstanceVariable = "LB_PROCESS_INSTANCE";

    /// <summary>How often adopted replicas (not this process's children, so no exit event) are checked for an exit.</summary>
    public TimeSpan AdoptedExitPollInterval { get; internal init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Rejects an orphan timeout the replica would refuse.</summary>
    public void Validate()
    {
        if (OrphanAfter <= TimeSpan.Zero || OrphanAfter > TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"Balancer:Process:OrphanAfter must be above 0 and at most a day, got {OrphanAfter}.");
        }
    }

    /// <summary>
    /// How long a replica has to exit after its standard input closes (or, in cluster mode, after SIGTERM) before it is killed. Not a setting:
    /// the internal init keeps the configuration binder from binding a <c>Balancer:StopTimeout</c>.
    /// </summary>
    public TimeSpan StopTimeout { get; internal init; } = TimeSpan.FromSeconds(5);
}
