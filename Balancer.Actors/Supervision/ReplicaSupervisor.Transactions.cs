using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Ring;
using Balancer.Actors.Routing;

namespace Balancer.Actors.Supervision;

/// <summary>
/// Serving /add and /rm: a request is checked whole by <see cref="AdminRequestRules"/>, becomes the one
/// current <see cref="AdminTransaction"/>, and the supervisor carries out the steps that transaction
/// decides on, on the children, the ring and the client, until it completes.
/// </summary>
public sealed partial class ReplicaSupervisor
{
    private static readonly TimeSpan RingTimeout = TimeSpan.FromSeconds(10);

    private void OnRemoveLeft(RemoveLeft left)
    {
        foreach (var route in left.Departed)
        {
            if (registry.TryGet(route.Hostname, out var entry))
            {
                entry.Route = route;
            }
        }

        Run(left.Transaction, left.Transaction.OnRingLeft());
    }

    /// <summary>Answers a rejected request at once (nothing changed), or makes an accepted one the current transaction.</summary>
    private void Begin(string? rejection, Func<AdminTransaction> accept)
    {
        if (rejection is not null)
        {
            Sender.Tell(new AdminRejected(AdminErrorKind.InvalidRequest, rejection));
            return;
        }

        transaction = accept();
        Become(Busy);
        Run(transaction, transaction.Begin());
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
                    ring.Ask<RingChanged>(new JoinRing(join.Replicas), RingTimeout).PipeTo(Self,
                        success: _ => new RingJoined(owner), failure: exception => new RingJoinFailed(owner, exception));
                    break;
                case TransactionStep.LeaveRing { ReportBack: true } leave:
                    ring.Ask<RingLeft>(new LeaveRing(leave.Hostnames), RingTimeout).PipeTo(Self,
                        success: left => new RemoveLeft(owner, left.Departed), failure: _ => new RemoveLeft(owner, []));
                    break;
                case TransactionStep.LeaveRing leave:
                    ring.Tell(new LeaveRing(leave.Hostnames));
                    break;
                case TransactionStep.StopReplicas stop:
                    children.Stop(stop.Hostnames, stop.Drain ? options.DrainTimeout : TimeSpan.Zero);
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
    }

    private void Complete(AdminTransaction owner, AdminRejected? failure)
    {
        if (failure is not null)
        {
            log.Warning("The add failed and was rolled back: {0}", failure.Message);
        }

        owner.ReplyTo.Tell(failure ?? (object)registry.ListedSet());
        transaction = null;
        Become(Idle);
        Stash.UnstashAll();
    }

    private sealed record RingJoined(AdminTransaction Transaction);

    private sealed record RingJoinFailed(AdminTransaction Transaction, Exception Cause);

    private sealed record RemoveLeft(AdminTransaction Transaction, IReadOnlyList<ReplicaRoute> Departed);
}
