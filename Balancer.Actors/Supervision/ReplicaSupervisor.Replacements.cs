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

    /// <summary>
    /// Joins the replicas that serve, one by one, in the order they were started. A replica is listed only
    /// once the ring has it: the moment /rep shows it, requests route to it.
    /// </summary>
    private void JoinReadyReplicas()
    {
        foreach (var entry in registry.ReadyToJoin())
        {
            entry.Phase = ReplicaPhase.Joining;
            AskRing(new JoinRing([entry.Replica!]), new RingRequest(RingPurpose.ReplacementJoin, null, [entry]));
        }
    }

    private void OnReplacementJoined(IReadOnlyList<ReplicaEntry> joining, Exception? failure)
    {
        foreach (var entry in joining)
        {
            // Still the same replica, still joining: it may have died (and left the ring again) meanwhile.
            if (!registry.TryGet(entry.Hostname, out var current) || !ReferenceEquals(current, entry) || entry.Phase != ReplicaPhase.Joining)
            {
                continue;
            }

            if (failure is null)
            {
                MarkServing(entry);
                continue;
            }

            log.Error(failure, "The ring refused replica {0}; stopping it", entry.Hostname);
            children.Stop([entry.Hostname], TimeSpan.Zero);
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

    private void ReplaceFailedStart(ReplicaEntry entry, ReplicaFailedToStart failed)
    {
        if (entry.Phase == ReplicaPhase.Joining)
        {
            AskRing(new LeaveRing([entry.Hostname]), new RingRequest(RingPurpose.None, null, []));
        }

        var delay = backoff.FailedToStart(Now);
        log.Error("Replica {0} failed to start: {1}. Retrying in {2:0.###} s ({3} failure(s) in a row)",
            failed.Hostname, failed.Reason, delay.TotalSeconds, backoff.ConsecutiveFailures);
        JoinReadyReplicas();
        Reconcile();
    }

    private void ReplaceDead(ReplicaEntry entry, ReplicaDied died)
    {
        AskRing(new LeaveRing([died.Hostname]), new RingRequest(RingPurpose.None, null, []));
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
