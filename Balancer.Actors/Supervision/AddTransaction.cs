using Akka.Actor;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

/// <summary>
/// An /add: takes ready spares (which serve already) and starts the rest of its replicas, waits until every
/// one serves, joins them to the ring together and admits them to the set. When one fails first, the
/// replicas it started are stopped, the spares it took go back to the spares, a join already asked for is
/// undone, and the client hears the first failure once nothing of the add is left: the set is as before.
/// </summary>
internal sealed class AddTransaction(IActorRef replyTo, IReadOnlyList<string> hostnames, IReadOnlyList<RunningReplica>? spares = null)
    : AdminTransaction(replyTo)
{
    private readonly HashSet<string> starting = new(hostnames, StringComparer.OrdinalIgnoreCase);
    private readonly List<RunningReplica> ready = [.. spares ?? []];
    private readonly HashSet<string> stopping = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Spares to give back once the ring has undone a join that held them (the add failed while it waited).</summary>
    private readonly List<string> givingBack = [];

    /// <summary>What the ring was asked to add: all of it leaves again if the add fails meanwhile.</summary>
    private IReadOnlyList<RunningReplica> joined = [];

    private bool awaitingRing;
    private AdminRejected? failure;

    /// <summary>The replicas to start, the named ones first.</summary>
    public IReadOnlyList<string> Hostnames { get; } = hostnames;

    /// <summary>The spares taken, which serve already.</summary>
    public IReadOnlyList<string> Spares { get; } = (spares ?? []).Select(spare => spare.Hostname).ToArray();

    public override IReadOnlyList<TransactionStep> Begin() => Hostnames.Count > 0
        ? [new TransactionStep.StartReplicas(Hostnames)]
        : JoinAll();

    public override IReadOnlyList<TransactionStep> OnServing(RunningReplica replica)
    {
        if (failure is not null || !starting.Remove(replica.Hostname))
        {
            return Nothing;
        }

        ready.Add(replica);
        return starting.Count > 0 ? Nothing : JoinAll();
    }

    /// <summary>Every replica of this add serves: they join the ring together, or not at all.</summary>
    private IReadOnlyList<TransactionStep> JoinAll()
    {
        joined = ready.ToArray();
        awaitingRing = true;
        return [new TransactionStep.JoinRing(joined)];
    }

    public override IReadOnlyList<TransactionStep> OnFailedToStart(ReplicaFailedToStart failed) =>
        Fail(failed.Hostname, failed.Cause is ReplicaNameConflictException conflict
            ? new AdminRejected(AdminErrorKind.NameConflict, conflict.Message)
            : new AdminRejected(AdminErrorKind.RuntimeFailure, $"Replica '{failed.Hostname}' failed to start: {failed.Reason}"));

    public override IReadOnlyList<TransactionStep> OnDied(ReplicaDied died) =>
        Fail(died.Hostname, new AdminRejected(AdminErrorKind.RuntimeFailure, $"Replica '{died.Hostname}' died while starting: {died.Reason}"));

    public override IReadOnlyList<TransactionStep> OnStopped(string hostname)
    {
        Forget(hostname);
        return CompleteIfRolledBack();
    }

    public override IReadOnlyList<TransactionStep> OnRingJoined()
    {
        awaitingRing = false;
        var names = joined.Select(replica => replica.Hostname).ToArray();
        if (failure is null)
        {
            return [new TransactionStep.Admit(names), new TransactionStep.Complete(null)];
        }

        // A replica failed after all of them served but before the ring answered: undo the whole join; the
        // spares go back only after it, so a later promotion joins them after this leave.
        return [new TransactionStep.LeaveRing(names, ReportBack: false), .. GiveBackHeldSpares(), .. CompleteIfRolledBack()];
    }

    public override IReadOnlyList<TransactionStep> OnRingJoinFailed(Exception cause)
    {
        awaitingRing = false;
        return Fail(null, new AdminRejected(AdminErrorKind.InvalidRequest, cause.GetBaseException().Message));
    }

    /// <summary>
    /// Not every replica served in time: the add fails as a whole. Its replicas are stopped, a join already
    /// asked for is undone (the ring handles the leave after the join), and the client hears it now.
    /// </summary>
    public override IReadOnlyList<TransactionStep> OnDeadline(TimeSpan deadline)
    {
        var undoJoin = awaitingRing ? joined.Select(replica => replica.Hostname).ToArray() : [];
        awaitingRing = false;
        var cause = new AdminRejected(AdminErrorKind.TimedOut,
            $"The add did not finish within {deadline.TotalSeconds:0} s and was rolled back; nothing was added");
        var steps = Fail(null, cause).Where(step => step is not TransactionStep.Complete).ToList();
        if (undoJoin.Length > 0)
        {
            steps.Insert(0, new TransactionStep.LeaveRing(undoJoin, ReportBack: false));
        }

        steps.Add(new TransactionStep.Complete(failure));
        return steps;
    }

    /// <summary>The first failure is the answer; every replica of the add still up is stopped.</summary>
    private IReadOnlyList<TransactionStep> Fail(string? gone, AdminRejected cause)
    {
        if (gone is not null)
        {
            Forget(gone);
        }

        failure ??= cause;
        var rest = Hostnames.Where(name => starting.Contains(name) || ready.Exists(replica => Same(replica.Hostname, name))).ToArray();
        givingBack.AddRange(Spares.Where(name => ready.Exists(replica => Same(replica.Hostname, name))));
        starting.Clear();
        ready.Clear();
        stopping.UnionWith(rest);
        IReadOnlyList<TransactionStep> stop = rest.Length > 0 ? [new TransactionStep.StopReplicas(rest, Drain: false)] : Nothing;
        return [.. stop, .. awaitingRing ? Nothing : GiveBackHeldSpares(), .. CompleteIfRolledBack()];
    }

    /// <summary>The spares this add took and still holds go back to the spares: they serve, outside the ring.</summary>
    private IReadOnlyList<TransactionStep> GiveBackHeldSpares()
    {
        if (givingBack.Count == 0)
        {
            return Nothing;
        }

        var spares = givingBack.ToArray();
        givingBack.Clear();
        return [new TransactionStep.ReturnSpares(spares)];
    }

    private IReadOnlyList<TransactionStep> CompleteIfRolledBack() =>
        failure is not null && starting.Count == 0 && ready.Count == 0 && stopping.Count == 0 && !awaitingRing
            ? [new TransactionStep.Complete(failure)]
            : Nothing;

    private void Forget(string hostname)
    {
        givingBack.RemoveAll(name => Same(name, hostname));
        starting.Remove(hostname);
        stopping.Remove(hostname);
        ready.RemoveAll(replica => Same(replica.Hostname, hostname));
    }

    private static bool Same(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);
}
