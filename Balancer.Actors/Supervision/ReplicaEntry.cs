using Akka.Actor;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

internal enum ReplicaPhase
{
    Starting,
    Serving,
    Stopping,
}

/// <summary>The supervisor's record of one replica in (or joining, or leaving) the set.</summary>
internal sealed class ReplicaEntry(string hostname, IActorRef actor, long sequence, AddOperation? operation)
{
    public string Hostname { get; } = hostname;

    public IActorRef Actor { get; } = actor;

    /// <summary>Keeps the listing in join order.</summary>
    public long Sequence { get; } = sequence;

    public ReplicaPhase Phase { get; set; } = ReplicaPhase.Starting;

    public RunningReplica? Replica { get; set; }

    public DateTimeOffset ServingSince { get; set; }

    /// <summary>The /add this replica belongs to until it completes; such replicas are not yet in the set.</summary>
    public AddOperation? Operation { get; set; } = operation;

    public bool IsListed => Phase != ReplicaPhase.Stopping && Operation is null;
}
