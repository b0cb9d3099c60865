using Akka.Actor;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

/// <summary>
/// An /add or /rm in progress. The supervisor holds at most one, hands it the events of the replicas that
/// take part in it and of the ring, and does the steps it returns; the transaction keeps the state that
/// decides them. Events a transaction does not wait for ask for nothing.
/// </summary>
internal abstract class AdminTransaction(IActorRef replyTo)
{
    protected static readonly IReadOnlyList<TransactionStep> Nothing = [];

    private bool answered;

    /// <summary>Who asked: the last step answers them.</summary>
    public IActorRef ReplyTo { get; } = replyTo;

    /// <summary>Answers the client, once: a transaction completed by its deadline says nothing more.</summary>
    public void Answer(object reply)
    {
        if (!answered)
        {
            answered = true;
            ReplyTo.Tell(reply);
        }
    }

    /// <summary>
    /// The deadline passed: the steps that answer the client now. What the transaction changed is undone or
    /// kept as the answer says; replicas still stopping finish outside the set.
    /// </summary>
    public abstract IReadOnlyList<TransactionStep> OnDeadline(TimeSpan deadline);

    /// <summary>The first steps, taken when the request is accepted.</summary>
    public abstract IReadOnlyList<TransactionStep> Begin();

    public virtual IReadOnlyList<TransactionStep> OnServing(RunningReplica replica) => Nothing;

    public abstract IReadOnlyList<TransactionStep> OnFailedToStart(ReplicaFailedToStart failed);

    public abstract IReadOnlyList<TransactionStep> OnDied(ReplicaDied died);

    public abstract IReadOnlyList<TransactionStep> OnStopped(string hostname);

    public virtual IReadOnlyList<TransactionStep> OnRingJoined() => Nothing;

    public virtual IReadOnlyList<TransactionStep> OnRingJoinFailed(Exception cause) => Nothing;

    public virtual IReadOnlyList<TransactionStep> OnRingLeft() => Nothing;
}
