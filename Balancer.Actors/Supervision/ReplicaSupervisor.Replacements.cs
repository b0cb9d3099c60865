using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Ring;

namespace Balancer.Actors.Supervision;

/// <summary>
/// Keeping the set at N outside of /add and /rm: a ready spare in place of a replica that failed or died,
/// else a replacement started after the backoff; the spares kept complete; and replicas that serve joining
/// the ring in the order they were started.
/// </summary>
public sealed partial class ReplicaSupervisor
{
    private const string ReconcileTimer = "reconcile";

    /// <summary>Whether the set's first replicas were started: every start for the set after them is a replacement.</summary>
    private bool initialSetStarted;

    /// <summary>
    /// Fills the set's missing places from the spares at once (no start to wait for, so no backoff either),
    /// then starts replicas until the set and the spares have their sizes, unless a backoff is running.
    /// </summary>
    /// <param name="replacing">The replica whose death or failure left the place open, if one did.</param>
    private void Reconcile(string? replacing = null)
    {
        if (shutdownReplyTo is not null)
        {
            return;
        }

        var replacements = initialSetStarted;
        initialSetStarted = true;
        var missing = FillFromSpares(replacing);
        var missingSpares = registry.MissingSpares;
        if (missing <= 0 && missingSpares <= 0)
        {
            return;
        }

        if (Now < backoff.NoStartBefore)
        {
            Timers.StartSingleTimer(ReconcileTimer, ReconcileNow.Instance, backoff.NoStartBefore - Now);
            return;
        }

        if (missing > 0)
        {
            for (var count = 0; replacements && count < missing; count++)
            {
                options.Counters.CountReplacement();
            }

            children.Launch(registry.ReplacementNames(missing), null);
        }

        if (missingSpares > 0)
        {
            children.Launch(registry.SpareNames(missingSpares), null, asSpares: true);
        }
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
        AnnouncePromotion(entry);
        StartStableTimer(entry);
    }

    private void StartStableTimer(ReplicaEntry entry) =>
        Timers.StartSingleTimer($"stable-{entry.Hostname}-{entry.Sequence}", new ReplicaStable(entry.Hostname, entry.Sequence),
            options.Backoff.StableAfter);

    private void OnStable(ReplicaStable stable)
    {
        if (registry.TryGet(stable.Hostname, out var entry) && entry.Sequence == stable.Sequence &&
            entry.Phase is ReplicaPhase.Serving or ReplicaPhase.Spare)
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
        log.Error("{0} {1} failed to start: {2}. Retrying in {3:0.###} s ({4} failure(s) in a row)",
            entry.IsSpare ? "Spare" : "Replica", failed.Hostname, failed.Reason, delay.TotalSeconds, backoff.ConsecutiveFailures);
        JoinReadyReplicas();
        Reconcile(entry.IsSpare ? null : failed.Hostname);
    }

    /// <summary>
    /// A dead replica leaves the ring, and a ready spare joins it in the same breath (the ring handles the
    /// leave first, so the spare takes the dead one's server id). A spare that dies was in no ring: it is only
    /// replaced as a spare.
    /// </summary>
    private void ReplaceDead(ReplicaEntry entry, ReplicaDied died)
    {
        if (!entry.IsSpare)
        {
            AskRing(new LeaveRing([died.Hostname]), new RingRequest(RingPurpose.None, null, []));
        }

        var delay = backoff.Died(entry, Now);
        log.Warning("{0} {1} died ({2}); replacing it{3}", entry.IsSpare ? "Spare" : "Replica", died.Hostname, died.Reason,
            registry.ReadySpares().Count > 0 && !entry.IsSpare ? " with a spare now"
            : delay > TimeSpan.Zero ? $" in {delay.TotalSeconds:0.###} s ({backoff.ConsecutiveFailures} failures in a row)" : " now");
        JoinReadyReplicas();
        Reconcile(entry.IsSpare ? null : died.Hostname);
    }

    private sealed record ReconcileNow
    {
        public static readonly ReconcileNow Instance = new();
    }

    private sealed record ReplicaStable(string Hostname, long Sequence);
}
