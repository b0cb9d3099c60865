using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Ring;

namespace Balancer.Actors.Supervision;

/// <summary>
/// Keeping the set at N outside of /add and /rm: replacements for replicas that failed or died, started
/// after the backoff, and replicas that serve joining the ring in the order they were started.
/// </summary>
public sealed partial class ReplicaSupervisor
{
    private const string ReconcileTimer = "reconcile";

    /// <summary>Starts replicas until the set has the desired size, unless a backoff is running.</summary>
    private void Reconcile()
    {
        var missing = registry.Missing;
        if (shutdownReplyTo is not null || missing <= 0)
        {
            return;
        }

        if (Now < backoff.NoStartBefore)
        {
            Timers.StartSingleTimer(ReconcileTimer, ReconcileNow.Instance, backoff.NoStartBefore - Now);
            return;
        }

        children.Launch(registry.ReplacementNames(missing), null);
    }

    /// <summary>Joins the replicas that serve, one by one, in the order they were started.</summary>
    private void JoinReadyReplicas()
    {
        foreach (var entry in registry.ReadyToJoin())
        {
            MarkServing(entry);
            ring.Tell(new JoinRing([entry.Replica!]));
        }
    }

    private void MarkServing(ReplicaEntry entry)
    {
        entry.Phase = ReplicaPhase.Serving;
        entry.ServingSince = Now;
        Context.System.EventStream.Publish(new ReplicaJoined(entry.Replica!, Now));
        Timers.StartSingleTimer($"stable-{entry.Hostname}-{entry.Sequence}", new ReplicaStable(entry.Hostname, entry.Sequence),
            options.Backoff.StableAfter);
    }

    private void OnStable(ReplicaStable stable)
    {
        if (registry.TryGet(stable.Hostname, out var entry) && entry.Sequence == stable.Sequence && entry.Phase == ReplicaPhase.Serving)
        {
            backoff.Stable();
        }
    }

    private void ReplaceFailedStart(ReplicaFailedToStart failed)
    {
        var delay = backoff.FailedToStart(Now);
        log.Error("Replica {0} failed to start: {1}. Retrying in {2:0.###} s ({3} failure(s) in a row)",
            failed.Hostname, failed.Reason, delay.TotalSeconds, backoff.ConsecutiveFailures);
        JoinReadyReplicas();
        Reconcile();
    }

    private void ReplaceDead(ReplicaEntry entry, ReplicaDied died)
    {
        ring.Tell(new LeaveRing([died.Hostname]));
        var delay = backoff.Died(entry, Now);
        log.Warning("Replica {0} died ({1}); replacing it{2}", died.Hostname, died.Reason,
            delay > TimeSpan.Zero ? $" in {delay.TotalSeconds:0.###} s ({backoff.ConsecutiveFailures} failures in a row)" : " now");
        JoinReadyReplicas();
        Reconcile();
    }

    private sealed record ReconcileNow
    {
        public static readonly ReconcileNow Instance = new();
    }

    private sealed record ReplicaStable(string Hostname, long Sequence);
}
