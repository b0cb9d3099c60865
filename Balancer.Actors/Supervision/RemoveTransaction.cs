using Akka.Actor;

namespace Balancer.Actors.Supervision;

/// <summary>
/// An /rm: its replicas leave the set at once and the ring next, drain what they have in flight, and stop.
/// The client hears the new set once every one is gone; one that dies meanwhile is gone as well.
/// </summary>
internal sealed class RemoveTransaction(IActorRef replyTo, IReadOnlyList<string> victims) : AdminTransaction(replyTo)
{
    private readonly HashSet<string> leaving = new(victims, StringComparer.OrdinalIgnoreCase);

    /// <summary>The replicas to remove, the named ones first.</summary>
    public IReadOnlyList<string> Victims { get; } = victims;

    public override IReadOnlyList<TransactionStep> Begin() =>
        [new TransactionStep.RetireReplicas(Victims), new TransactionStep.LeaveRing(Victims, ReportBack: true)];

    /// <summary>Out of the ring, so no new request reaches them: each drains what it has in flight, then stops.</summary>
    public override IReadOnlyList<TransactionStep> OnRingLeft() =>
        [new TransactionStep.StopReplicas(Victims.Where(leaving.Contains).ToArray(), Drain: true)];

    public override IReadOnlyList<TransactionStep> OnFailedToStart(ReplicaFailedToStart failed) => Gone(failed.Hostname);

    public override IReadOnlyList<TransactionStep> OnDied(ReplicaDied died) => Gone(died.Hostname);

    public override IReadOnlyList<TransactionStep> OnStopped(string hostname) => Gone(hostname);

    /// <summary>
    /// Out of the set and the ring already (that happens at once): the removal stands, and a replica slow to
    /// stop finishes stopping on its own.
    /// </summary>
    public override IReadOnlyList<TransactionStep> OnDeadline(TimeSpan deadline) => [new TransactionStep.Complete(null)];

    private IReadOnlyList<TransactionStep> Gone(string hostname) =>
        leaving.Remove(hostname) && leaving.Count == 0 ? [new TransactionStep.Complete(null)] : Nothing;
}
