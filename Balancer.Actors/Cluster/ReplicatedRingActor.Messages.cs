namespace Balancer.Actors.Cluster;

/// <summary>
/// A starting scheduler asks what the cluster recorded (N and the ring's members) before it adopts or starts
/// anything, so it continues from the cluster's state, not from its configuration. Answered with
/// <see cref="RecordedReplicaSet"/> after a majority read (the local copy when no majority answers in time).
/// </summary>
public sealed record GetRecordedReplicaSet
{
    public static readonly GetRecordedReplicaSet Instance = new();
}

/// <param name="Desired">N as the previous scheduler set it; null when no scheduler ever did.</param>
/// <param name="Members">The ring's members, in join order.</param>
public sealed record RecordedReplicaSet(int? Desired, IReadOnlyList<RingMember> Members);

/// <summary>The scheduler's N changed: it is written to the replicated inputs (no answer).</summary>
public sealed record RecordDesired(int Desired);

/// <summary>Asks for the inputs this node's table was built from: answered with <see cref="RingInputs"/>.</summary>
public sealed record GetRingInputs
{
    public static readonly GetRingInputs Instance = new();
}

/// <summary>
/// The cluster singleton's termination message for the supervisor: it answers what waits, leaves the replicas
/// running for the next scheduler and stops.
/// </summary>
public sealed record HandOverScheduling
{
    public static readonly HandOverScheduling Instance = new();
}
