using Akka.Actor;
using Balancer.Actors.Routing;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

internal enum ReplicaPhase
{
    Starting,

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

    /// <summary>Counts towards N: serving, or on its way to replace one that died.</summary>
    public bool IsCounted => Phase != ReplicaPhase.Stopping && Transaction is not AddTransaction;

    /// <summary>Listed by /rep and removable: in the ring, serving requests.</summary>
    public bool IsListed => Phase == ReplicaPhase.Serving && Transaction is not AddTransaction;
}
