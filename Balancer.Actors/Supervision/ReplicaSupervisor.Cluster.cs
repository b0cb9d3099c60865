using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Cluster;
using Balancer.Actors.Ring;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

/// <summary>
/// The supervisor as a cluster's one scheduler (<see cref="SupervisorOptions.ReplicatedReplicaSet"/>): it starts
/// from the N and the ring the cluster recorded (a singleton that moved continues where the last one was),
/// takes out of the ring the recorded replicas that no longer run, and records every change of N. A single
/// node skips all of this.
/// </summary>
public sealed partial class ReplicaSupervisor
{
    private static readonly AdminRejected HandOverRejection = new(AdminErrorKind.ShuttingDown,
        "The scheduler moved to another balancer node during this change; GET /rep shows where it stands, and a retry reaches the new one");

    private RecordedReplicaSet? recorded;
    private int? recordedDesired;

    /// <summary>What the cluster recorded is known (or not needed: a single node).</summary>
    private bool RecordedKnown => !options.ReplicatedReplicaSet || recorded is not null;

    /// <summary>N as the cluster recorded it; null on a single node or before any scheduler set it.</summary>
    private int? RecordedDesired => recorded?.Desired;

    private void ReadRecorded()
    {
        if (options.ReplicatedReplicaSet)
        {
            ring.Tell(GetRecordedReplicaSet.Instance);
        }
    }

    private void OnRecorded(RecordedReplicaSet set)
    {
        recorded = set;
        recordedDesired = set.Desired;
        log.Info("The cluster recorded N = {0} and {1} replicas in the ring ({2})",
            set.Desired?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", set.Members.Count,
            string.Join(", ", set.Members.Select(member => member.Hostname)));
        StartOnceKnown();
    }

    /// <summary>
    /// Recorded replicas this scheduler did not adopt as members do not run any more (or wait as spares): they
    /// leave every node's ring now. Adopted ones stay in it meanwhile, so routing goes on, and join again
    /// (keeping their server ids) once they answer their heartbeats.
    /// </summary>
    private void LeaveRecordedButNotAdopted()
    {
        if (recorded is null)
        {
            return;
        }

        var stale = recorded.Members
            .Where(member => !registry.TryGet(member.Hostname, out var entry) || entry.IsSpare)
            .Select(member => member.Hostname)
            .ToArray();
        if (stale.Length > 0)
        {
            log.Info("Recorded replicas {0} were not adopted; taking them out of the ring", string.Join(", ", stale));
            AskRing(new LeaveRing(stale), new RingRequest(RingPurpose.None, null, []));
        }
    }

    /// <summary>
    /// The singleton is moving (its node leaves, or was downed): whoever waits hears so now, the replicas keep
    /// running for the next scheduler to adopt (only their actors stop), and this actor ends, which lets the
    /// hand-over go on.
    /// </summary>
    private void HandOver()
    {
        log.Info("Handing scheduling over: leaving {0} replicas running for the next scheduler", registry.All.Count);
        Timers.CancelAll();
        transaction?.Answer(HandOverRejection);
        transaction = null;
        foreach (var waiting in changes.DrainAll())
        {
            waiting.ReplyTo.Tell(HandOverRejection);
        }

        children.AbandonAll();
        Context.Stop(Self);
    }

    private void RecordDesiredIfChanged()
    {
        if (!options.ReplicatedReplicaSet || recordedDesired == registry.Desired || !RecordedKnown || listedRunning is null)
        {
            return;
        }

        recordedDesired = registry.Desired;
        ring.Tell(new RecordDesired(registry.Desired));
    }
}
