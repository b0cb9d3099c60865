using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Ring;

namespace Balancer.Actors.Supervision;

/// <summary>
/// Serving /add and /rm: a request is checked whole by <see cref="AdminRequestRules"/>, becomes the one
/// current <see cref="AdminTransaction"/>, and the supervisor carries out the steps that transaction
/// decides on, on the children, the ring and the client, until it completes. Every request is answered
/// within <see cref="SupervisorOptions.ChangeDeadline"/> of its arrival, waiting in the queue included.
/// </summary>
public sealed partial class ReplicaSupervisor
{
    private const string TransactionTimer = "transaction-deadline";

    /// <summary>Whoever asked the ring, in the order asked: the ring answers one sender's requests in order.</summary>
    private readonly Queue<RingRequest> ringRequests = new();

    /// <summary>Makes a request that arrived now, or that waited its turn, the current transaction (or answers its rejection).</summary>
    private void Accept(QueuedChange change)
    {
        var rejection = change.Command switch
        {
            AddReplicas add => AdminRequestRules.CheckAdd(add, registry.CountedCount, options.MaxReplicas, registry.Contains),
            RemoveReplicas remove => AdminRequestRules.CheckRemove(remove, registry.ListedCount, registry.IsListed),
            _ => null,
        };
        if (rejection is not null)
        {
            change.ReplyTo.Tell(new AdminRejected(AdminErrorKind.InvalidRequest, rejection));
            return;
        }

        transaction = change.Command switch
        {
            AddReplicas add => NewAdd(change.ReplyTo, registry.PlanFor(add)),
            RemoveReplicas remove => new RemoveTransaction(change.ReplyTo, registry.VictimsOf(remove)),
            _ => throw new InvalidOperationException($"not a change: {change.Command.GetType().Name}"),
        };
        Become(Busy);
        var left = change.ArrivedAt + options.ChangeDeadline - Now;
        Timers.StartSingleTimer(TransactionTimer, new TransactionDeadlinePassed(transaction), left > TimeSpan.Zero ? left : TimeSpan.Zero);
        Run(transaction, transaction.Begin());
    }

    /// <summary>An /add that holds the ready spares its plan takes (they serve already) and starts the rest.</summary>
    private AddTransaction NewAdd(IActorRef replyTo, AddPlan plan)
    {
        var add = new AddTransaction(replyTo, plan.Starts, plan.Spares.Select(spare => spare.Replica!).ToArray());
        HoldSpares(plan.Spares, add);
        return add;
    }

    /// <summary>A change that arrives while another is in progress (or before the replicas are listed) waits, if there is room.</summary>
    private void Queue(object command)
    {
        if (changes.TryEnqueue(command, Sender, Now) is not { } queued)
        {
            Sender.Tell(new AdminRejected(AdminErrorKind.Busy,
                $"{options.MaxQueuedChanges} changes are already waiting; nothing was changed, try again later"));
            return;
        }

        Timers.StartSingleTimer($"queued-{queued.Id}", new ChangeDeadlinePassed(queued.Id), options.ChangeDeadline);
    }

    private void OnQueuedDeadline(ChangeDeadlinePassed passed)
    {
        if (changes.Remove(passed.Id) is { } expired)
        {
            expired.ReplyTo.Tell(new AdminRejected(AdminErrorKind.TimedOut,
                $"The change waited {options.ChangeDeadline.TotalSeconds:0} s behind earlier ones and was not applied; GET /rep shows the set"));
        }
    }

    private void BeginNextChange()
    {
        while (transaction is null && changes.TryDequeue(out var next))
        {
            Timers.Cancel($"queued-{next.Id}");
            Accept(next);
        }
    }

    /// <summary>Carries out what the current transaction decided, in order; an earlier one's late answers change nothing.</summary>
    private void Run(AdminTransaction owner, IReadOnlyList<TransactionStep> steps)
    {
        if (!ReferenceEquals(owner, transaction))
        {
            return;
        }

        foreach (var step in steps)
        {
            switch (step)
            {
                case TransactionStep.StartReplicas start:
                    children.Launch(start.Hostnames, owner);
                    break;
                case TransactionStep.RetireReplicas retire:
                    log.Info("Removing replicas {0}", string.Join(", ", retire.Hostnames));
                    registry.Retire(retire.Hostnames, owner);
                    break;
                case TransactionStep.JoinRing join:
                    AskRing(new JoinRing(join.Replicas), new RingRequest(RingPurpose.TransactionJoin, owner, []));
                    break;
                case TransactionStep.LeaveRing leave:
                    AskRing(new LeaveRing(leave.Hostnames),
                        new RingRequest(leave.ReportBack ? RingPurpose.TransactionLeave : RingPurpose.None, owner, []));
                    break;
                case TransactionStep.StopReplicas stop:
                    children.Stop(stop.Hostnames, stop.Drain ? options.DrainTimeout : TimeSpan.Zero);
                    break;
                case TransactionStep.ReturnSpares giveBack:
                    log.Info("Giving spares {0} back", string.Join(", ", giveBack.Hostnames));
                    ReturnSpares(giveBack.Hostnames, owner);
                    break;
                case TransactionStep.Admit admit:
                    log.Info("Added replicas {0}", string.Join(", ", admit.Hostnames));
                    foreach (var entry in registry.Admit(admit.Hostnames))
                    {
                        MarkServing(entry);
                    }

                    break;
                case TransactionStep.Complete complete:
                    Complete(owner, complete.Failure);
                    break;
            }
        }

        RecordDesiredIfChanged();
    }

    /// <summary>
    /// Answers the client and takes the next request. A transaction completed by its deadline may leave
    /// replicas stopping: they finish on their own, outside the set, and their names stay taken until then.
    /// </summary>
    private void Complete(AdminTransaction owner, AdminRejected? failure)
    {
        if (failure is not null)
        {
            log.Warning("The change failed and was rolled back: {0}", failure.Message);
        }

        owner.Answer(failure ?? (object)registry.ListedSet());
        transaction = null;
        Timers.Cancel(TransactionTimer);
        Become(Idle);
        // Spares an /add took are started again now that it is over (while it ran they were still its own).
        Reconcile();
        BeginNextChange();
    }

    private void AskRing(object request, RingRequest asked)
    {
        ringRequests.Enqueue(asked);
        ring.Tell(request);
    }

    /// <summary>The ring's answer to the oldest request still waiting for one.</summary>
    private void OnRingAnswer(object answer, Exception? failure)
    {
        if (!ringRequests.TryDequeue(out var asked))
        {
            log.Warning("An answer from the ring that nobody waits for: {0}", answer);
            return;
        }

        switch (asked.Purpose)
        {
            case RingPurpose.TransactionJoin when failure is not null:
                Run(asked.Owner!, asked.Owner!.OnRingJoinFailed(failure));
                break;
            case RingPurpose.TransactionJoin:
                Run(asked.Owner!, asked.Owner!.OnRingJoined());
                break;
            case RingPurpose.TransactionLeave:
                foreach (var route in (answer as RingLeft)?.Departed ?? [])
                {
                    if (registry.TryGet(route.Hostname, out var entry))
                    {
                        entry.Route = route;
                    }
                }

                Run(asked.Owner!, asked.Owner!.OnRingLeft());
                break;
            case RingPurpose.ReplacementJoin:
                OnReplacementJoined(asked.Joining, failure);
                break;
        }
    }

    private enum RingPurpose
    {
        /// <summary>Nobody waits for the answer (a dead replica leaving, a rollback).</summary>
        None,
        TransactionJoin,
        TransactionLeave,
        ReplacementJoin,
    }

    private sealed record RingRequest(RingPurpose Purpose, AdminTransaction? Owner, IReadOnlyList<ReplicaEntry> Joining);

    private sealed record TransactionDeadlinePassed(AdminTransaction Transaction);

    private sealed record ChangeDeadlinePassed(long Id);
}
