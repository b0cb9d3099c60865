using Akka.Actor;
using Balancer.Actors.Routing;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

internal enum ReplicaPhase
{
    Starting,

    /// <summary>
    /// A warm spare that serves (answered a heartbeat, still heartbeated) and waits outside the ring and
    /// outside /rep, for a dead replica's place or an /add. Neither counted nor listed.
    /// </summary>
    Spare,

    /// <summary>Serves; the ring was asked to add it and has not answered yet. Counted, not yet listed.</summary>
    Joining,
    Serving,
    Stopping,
}

/// <summary>The supervisor's record of one replica in (or joining, or leaving) the set.</summary>
internal sealed class ReplicaEntry(string hostname, IActorRef actor, long sequence, int batch, AdminTransaction? transaction)
{
    public string Hostname { get; } = hostname;

    public IActorRef Actor { get; } = actor;

    /// <summary>Keeps the listing in join order.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>Where /rep lists it: by <see cref="Sequence"/>, except that a spare taken into the set goes last.</summary>
    public long ListOrder { get; set; } = sequence;

    /// <summary>Replicas started together join the ring in the order they were started.</summary>
    public int Batch { get; } = batch;

    public ReplicaPhase Phase { get; set; } = ReplicaPhase.Starting;

    /// <summary>Answered a heartbeat, but may still wait for earlier replicas of its batch to join.</summary>
    public bool HasServed { get; set; }

    public RunningReplica? Replica { get; set; }

    public DateTimeOffset ServingSince { get; set; }

    /// <summary>The route the ring handed back when this replica left it: drain waits for its requests in flight.</summary>
    public ReplicaRoute? Route { get; set; }

    /// <summary>
    /// The /add or /rm this replica takes part in, which hears its events. A replica an /add started is not
    /// in the set until the add admits it.
    /// </summary>
    public AdminTransaction? Transaction { get; set; } = transaction;

    /// <summary>
    /// Started to be a warm spare and not yet promoted: while starting (<see cref="ReplicaPhase.Starting"/>)
    /// and once ready (<see cref="ReplicaPhase.Spare"/>). Never counted towards N, never listed.
    /// </summary>
    public bool IsSpare { get; set; }

    /// <summary>
    /// A ready spare taken for a dead replica's place or for an /add, until it serves in the ring: then it
    /// is counted (<see cref="SupervisorCounters.SparePromotions"/>) and <see cref="SparePromoted"/> is published.
    /// </summary>
    public bool PromotedFromSpares { get; set; }

    /// <summary>The dead replica whose place the promoted spare takes; null when an /add took it.</summary>
    public string? Replacing { get; set; }

    /// <summary>Counts towards N: serving, or on its way to replace one that died.</summary>
    public bool IsCounted => Phase != ReplicaPhase.Stopping && Transaction is not AddTransaction && !IsSpare;

    /// <summary>Counts towards the spares: one starting or ready, or one an /add holds until it is admitted or given back.</summary>
    public bool IsCountedSpare => Phase != ReplicaPhase.Stopping && (IsSpare || (PromotedFromSpares && Transaction is AddTransaction));

    /// <summary>Ready to take a dead replica's place or serve an /add now: a spare that serves.</summary>
    public bool IsReadySpare => IsSpare && Phase == ReplicaPhase.Spare;

    /// <summary>Listed by /rep and removable: in the ring, serving requests.</summary>
    public bool IsListed => Phase == ReplicaPhase.Serving && Transaction is not AddTransaction;
}
