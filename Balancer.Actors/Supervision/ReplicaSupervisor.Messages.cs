using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

/// <summary>Starts <paramref name="Count"/> replicas, the named ones first, the rest with random names.</summary>
public sealed record AddReplicas(int Count, IReadOnlyList<string> Hostnames);

/// <summary>Removes <paramref name="Count"/> replicas, the named ones first, the rest chosen at random.</summary>
public sealed record RemoveReplicas(int Count, IReadOnlyList<string> Hostnames);

public sealed record GetReplicas
{
    public static readonly GetReplicas Instance = new();
}

/// <summary>Asks for the warm spares (not part of /rep): answered with <see cref="SpareSet"/>.</summary>
public sealed record GetSpares
{
    public static readonly GetSpares Instance = new();
}

/// <summary>The warm spares: those that serve and wait outside the ring, and those still starting, oldest first.</summary>
public sealed record SpareSet(IReadOnlyList<string> Ready, IReadOnlyList<string> Starting);

/// <summary>Stops supervising; then stops every replica (processes) or leaves them for adoption (containers).</summary>
public sealed record ShutDownReplicas
{
    public static readonly ShutDownReplicas Instance = new();
}

/// <summary>The answer to every request that succeeded: the replicas in the set, in the order they joined.</summary>
public sealed record ReplicaSet(IReadOnlyList<string> Replicas);

public sealed record ReplicasShutDown
{
    public static readonly ReplicasShutDown Instance = new();
}

public enum AdminErrorKind
{
    /// <summary>The request contradicts the current set (a name that exists, too many replicas). Nothing changed.</summary>
    InvalidRequest,

    /// <summary>A name is taken by something the balancer does not own. Nothing changed.</summary>
    NameConflict,

    /// <summary>The runtime could not start a replica. Nothing changed.</summary>
    RuntimeFailure,

    ShuttingDown,

    /// <summary>The change did not finish within its deadline; what it started was undone. Nothing changed.</summary>
    TimedOut,

    /// <summary>Too many changes wait already. Nothing changed.</summary>
    Busy,
}

/// <summary>The answer to a request that changed nothing.</summary>
public sealed record AdminRejected(AdminErrorKind Kind, string Message);

/// <summary>Published on the event stream when a replica is declared dead (for tests and experiments).</summary>
public sealed record ReplicaDeathDetected(string Hostname, string Reason, DateTimeOffset At);

/// <summary>Published on the event stream when a replica joins the ring.</summary>
public sealed record ReplicaJoined(RunningReplica Replica, DateTimeOffset At);

/// <summary>
/// Published on the event stream when a warm spare serves in the ring (just after its <see cref="ReplicaJoined"/>):
/// in place of the dead replica <paramref name="Replacing"/>, or for an /add when that is null.
/// </summary>
public sealed record SparePromoted(string Hostname, string? Replacing, DateTimeOffset At);
