using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Ring;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

/// <summary>
/// Warm spares (<see cref="ReplicaSetOptions.Spares"/>): replicas started beside the set that serve and are
/// heartbeated but wait outside the ring and outside /rep. A dead replica's place is taken by a ready spare
/// at once (it joins the ring under its own name as soon as the death is known, with no start to wait for),
/// and a new spare starts in the background; /add takes its unnamed replicas from them first.
/// </summary>
public sealed partial class ReplicaSupervisor
{
    /// <summary>
    /// Adopts what the runtime already runs (a restarted balancer's containers). The runtime cannot say which
    /// of them were spares (a container's labels are fixed when it is created, before it is promoted), so
    /// beyond N up to <see cref="SupervisorOptions.Spares"/> of them become spares again: those with generated
    /// names (every spare has one) before named ones, the newest first (spares are started after the replicas
    /// they stand beside: at start-up, after a promotion, after an /add took one); a configured name (S1, ...)
    /// is never made a spare. The rest serve, as before spares existed.
    /// </summary>
    private void AdoptRunning(IReadOnlyList<RunningReplica> running)
    {
        var configured = new HashSet<string>(options.NamesForInitialReplicas(), StringComparer.OrdinalIgnoreCase);
        var candidates = running
            .Select((replica, listed) => (Replica: replica, Listed: listed))
            .Where(candidate => !configured.Contains(candidate.Replica.Hostname))
            .OrderBy(candidate => ReplicaNames.IsGenerated(candidate.Replica.Hostname) ? 0 : 1)
            .ThenByDescending(candidate => candidate.Listed)
            .Select(candidate => candidate.Replica);
        var wanted = RecordedDesired ?? options.Replicas;
        var spares = candidates.Take(Math.Min(options.Spares, Math.Max(0, running.Count - wanted))).ToArray();
        var members = running.Except(spares).ToArray();
        children.Adopt(members);
        children.Adopt(spares, asSpares: true);
        registry.Desired = Math.Max(wanted, members.Length);
        registry.DesiredSpares = options.Spares;
    }

    /// <summary>A spare answered its first heartbeat: it waits, heartbeated, for a place. A long wait ends a crash streak too.</summary>
    private void OnSpareReady(ReplicaEntry spare)
    {
        spare.Phase = ReplicaPhase.Spare;
        spare.ServingSince = Now;
        log.Info("Replica {0} serves and waits as a spare", spare.Hostname);
        StartStableTimer(spare);
        Reconcile();
    }

    /// <summary>
    /// Fills the places missing from the set with spares: ready ones join the ring now (the ring gives each the
    /// lowest free server id, the dead replica's, so it takes exactly the ids that replica had), and ones still
    /// starting become replacements that join once they serve. Returns how many places are still missing.
    /// </summary>
    private int FillFromSpares(string? replacing)
    {
        foreach (var spare in registry.ReadySpares().Take(Math.Max(0, registry.Missing)))
        {
            log.Info("Promoting spare {0}{1}", spare.Hostname, replacing is null ? "" : $" in place of {replacing}");
            spare.IsSpare = false;
            spare.PromotedFromSpares = true;
            spare.Replacing = replacing;
            spare.Phase = ReplicaPhase.Joining;
            registry.ListLast(spare);
            options.Counters.CountReplacement();
            AskRing(new JoinRing([spare.Replica!]), new RingRequest(RingPurpose.ReplacementJoin, null, [spare]));
            replacing = null;
        }

        foreach (var spare in registry.StartingSpares().Take(Math.Max(0, registry.Missing)))
        {
            log.Info("Spare {0}, still starting, replaces{1} instead", spare.Hostname, replacing is null ? "" : $" {replacing}");
            spare.IsSpare = false;
            options.Counters.CountReplacement();
            replacing = null;
        }

        return registry.Missing;
    }

    /// <summary>Takes ready spares for an accepted /add: it holds them until it admits them or gives them back.</summary>
    private void HoldSpares(IReadOnlyList<ReplicaEntry> spares, AdminTransaction add)
    {
        foreach (var spare in spares)
        {
            registry.ListLast(spare);
            spare.IsSpare = false;
            spare.PromotedFromSpares = true;
            spare.Phase = ReplicaPhase.Starting;
            spare.Transaction = add;
        }
    }

    /// <summary>A failed /add gives back the spares it held (out of the ring by now): spares again, ready for the next death.</summary>
    private void ReturnSpares(IReadOnlyList<string> hostnames, AdminTransaction add)
    {
        foreach (var hostname in hostnames)
        {
            if (registry.TryGet(hostname, out var spare) && ReferenceEquals(spare.Transaction, add))
            {
                spare.Transaction = null;
                spare.IsSpare = true;
                spare.PromotedFromSpares = false;
                spare.Phase = ReplicaPhase.Spare;
            }
        }

        Reconcile();
    }

    /// <summary>Counts and announces a spare that now serves in the ring (in a dead one's place, or for an /add).</summary>
    private void AnnouncePromotion(ReplicaEntry entry)
    {
        if (!entry.PromotedFromSpares)
        {
            return;
        }

        entry.PromotedFromSpares = false;
        options.Counters.CountSparePromotion();
        Context.System.EventStream.Publish(new SparePromoted(entry.Hostname, entry.Replacing, Now));
        entry.Replacing = null;
    }

    private SpareSet ListSpares() => new(
        registry.ReadySpares().Select(spare => spare.Hostname).ToArray(),
        registry.StartingSpares().Select(spare => spare.Hostname).ToArray());
}
