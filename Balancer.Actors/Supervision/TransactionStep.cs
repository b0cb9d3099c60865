using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

/// <summary>
/// What an <see cref="AdminTransaction"/> asks of its supervisor, which owns the children, the ring and the
/// replies and does the steps in the order given.
/// </summary>
internal abstract record TransactionStep
{
    /// <summary>Start these replicas as members of the transaction: not in the set, not counted, until admitted.</summary>
    public sealed record StartReplicas(IReadOnlyList<string> Hostnames) : TransactionStep;

    /// <summary>Take these replicas out of the set at once: no longer listed, counted or replaced.</summary>
    public sealed record RetireReplicas(IReadOnlyList<string> Hostnames) : TransactionStep;

    /// <summary>Ask the ring to add these replicas, all or none; its answer goes back to the transaction.</summary>
    public sealed record JoinRing(IReadOnlyList<RunningReplica> Replicas) : TransactionStep;

    /// <summary>Take these replicas out of the ring; with <paramref name="ReportBack"/>, the transaction hears when it is done.</summary>
    public sealed record LeaveRing(IReadOnlyList<string> Hostnames, bool ReportBack) : TransactionStep;

    /// <summary>Stop these replicas, after draining their requests in flight or at once.</summary>
    public sealed record StopReplicas(IReadOnlyList<string> Hostnames, bool Drain) : TransactionStep;

    /// <summary>Give these spares, taken by a failed /add, back to the spares: they serve, outside the ring and the set.</summary>
    public sealed record ReturnSpares(IReadOnlyList<string> Hostnames) : TransactionStep;

    /// <summary>These replicas serve and are in the ring: they are members of the set from now on.</summary>
    public sealed record Admit(IReadOnlyList<string> Hostnames) : TransactionStep;

    /// <summary>Answer the client (the set, or the failure; a failed transaction changed nothing) and take the next request.</summary>
    public sealed record Complete(AdminRejected? Failure) : TransactionStep;
}
