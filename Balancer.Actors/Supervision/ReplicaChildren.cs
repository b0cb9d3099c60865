using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

/// <summary>
/// The supervisor's replica actors, each recorded in the registry as it is created: started, adopted, told
/// to stop or to let go. Used only while the supervisor handles a message, with its context.
/// </summary>
internal sealed class ReplicaChildren(IActorContext context, ReplicaRegistry registry, IReplicaRuntime runtime, ReplicaWatch watch)
{
    private readonly ILoggingAdapter log = context.GetLogger();

    /// <summary>
    /// Watches replicas that already run (a restarted balancer's containers) instead of starting them: for the
    /// set, or as warm spares.
    /// </summary>
    public void Adopt(IEnumerable<RunningReplica> running, bool asSpares = false)
    {
        var batch = registry.NewBatch();
        foreach (var replica in running.OrderBy(replica => replica.Hostname, StringComparer.OrdinalIgnoreCase))
        {
            log.Info("Adopting running replica {0} ({1}) at {2}{3}", replica.Hostname, replica.InstanceId, replica.Address,
                asSpares ? " as a spare" : "");
            var child = context.ActorOf(ReplicaActor.Adopt(replica, runtime, watch),
                registry.NextActorName(replica.Hostname));
            context.Watch(child);
            var entry = registry.Add(replica.Hostname, child, batch, null);
            entry.Replica = replica;
            entry.IsSpare = asSpares;
        }
    }

    /// <summary>
    /// Starts replicas as one batch (they join the ring in this order), for the set or for an /add, or as warm
    /// spares (which join only when promoted).
    /// </summary>
    public void Launch(IReadOnlyList<string> hostnames, AdminTransaction? add, bool asSpares = false)
    {
        var batch = registry.NewBatch();
        foreach (var hostname in hostnames)
        {
            log.Info("Starting replica {0}{1}", hostname, asSpares ? " as a spare" : "");
            var child = context.ActorOf(ReplicaActor.Launch(hostname, runtime, watch),
                registry.NextActorName(hostname));
            context.Watch(child);
            registry.Add(hostname, child, batch, add).IsSpare = asSpares;
        }
    }

    public void Stop(IEnumerable<string> hostnames, TimeSpan drainTimeout)
    {
        foreach (var entry in registry.Stopping(hostnames))
        {
            entry.Actor.Tell(new StopReplica(drainTimeout, entry.Route));
        }
    }

    /// <summary>Leaves every replica running for the next balancer and forgets them.</summary>
    public void AbandonAll()
    {
        foreach (var entry in registry.All)
        {
            entry.Actor.Tell(AbandonReplica.Instance);
        }

        registry.Clear();
    }

    /// <summary>
    /// Hands the runtime's exit notice to the replica's actor, unless it is stopping the replica itself: that
    /// actor ignores exits and may have ended by the time the notice arrives (a dead letter at every shutdown).
    /// </summary>
    public void Forward(ReplicaExited exited)
    {
        if (registry.TryGet(exited.Hostname, out var entry) && entry.Phase != ReplicaPhase.Stopping)
        {
            entry.Actor.Forward(exited);
        }
    }

    /// <summary>The entry a replica event is about, if it comes from the actor that entry holds (not a stale one).</summary>
    public ReplicaEntry? FromSender(string hostname) =>
        registry.TryGet(hostname, out var entry) && entry.Actor.Equals(context.Sender) ? entry : null;

    /// <summary>Like <see cref="FromSender"/>, for a replica that is gone (failed, died or stopped): out of the registry too.</summary>
    public ReplicaEntry? GoneFromSender(string hostname)
    {
        if (FromSender(hostname) is not { } entry)
        {
            return null;
        }

        registry.Remove(hostname);
        return entry;
    }
}
