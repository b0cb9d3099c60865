using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Ring;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

/// <summary>
/// Holds the desired replica set and keeps it true: one <see cref="ReplicaActor"/> per replica, a
/// replacement for every replica that dies (with backoff when they keep dying), and /add and /rm
/// served one at a time, each an <see cref="AdminTransaction"/> whose steps this actor carries out, so
/// racing requests never lose an update. Replicas join the ring only once they serve, and leave it
/// before they are stopped.
/// </summary>
public sealed partial class ReplicaSupervisor : ReceiveActor, IWithStash, IWithTimers
{
    private static readonly AdminRejected ShuttingDownRejection = new(AdminErrorKind.ShuttingDown, "The balancer is shutting down");

    private readonly IReplicaRuntime runtime;
    private readonly IActorRef ring;
    private readonly SupervisorOptions options;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly ReplicaRegistry registry = new();
    private readonly ReplicaChildren children;
    private readonly CrashBackoff backoff;
    private AdminTransaction? transaction;
    private IActorRef? shutdownReplyTo;
    private IDisposable? exitSubscription;

    public ReplicaSupervisor(IReplicaRuntime runtime, IReplicaProbe probe, IActorRef ring, SupervisorOptions options)
    {
        this.runtime = runtime;
        this.ring = ring;
        this.options = options;
        options.Heartbeat.Validate();
        children = new ReplicaChildren(Context, registry, runtime, probe, options.Heartbeat);
        backoff = new CrashBackoff(options.Backoff);
        Become(Initializing);
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    public static Props Props(IReplicaRuntime runtime, IReplicaProbe probe, IActorRef ring, SupervisorOptions options) =>
        Akka.Actor.Props.Create(() => new ReplicaSupervisor(runtime, probe, ring, options));

    protected override void PreStart()
    {
        var self = Self;
        exitSubscription = runtime.SubscribeToExits(exited => self.Tell(exited));
        runtime.ListAsync(CancellationToken.None).PipeTo(Self,
            success: running => new AdoptionListed(running, null),
            failure: exception => new AdoptionListed([], exception));
    }

    protected override void PostStop() => exitSubscription?.Dispose();

    private void Initializing()
    {
        Receive<AdoptionListed>(listed =>
        {
            if (listed.Error is not null)
            {
                log.Error(listed.Error, "Listing the runtime's replicas failed; starting from an empty set");
            }

            children.Adopt(listed.Running);
            registry.Desired = Math.Max(options.Replicas, registry.All.Count);
            registry.Prefer(options.NamesForInitialReplicas());
            Reconcile();
            Become(Idle);
            Stash.UnstashAll();
        });
        Receive<GetReplicas>(_ => Sender.Tell(registry.ListedSet()));
        ReceiveAny(_ => Stash.Stash());
    }

    private void Idle()
    {
        Receive<AddReplicas>(add => Begin(AdminRequestRules.CheckAdd(add, registry.CountedCount, options.MaxReplicas, registry.Contains),
            () => new AddTransaction(Sender, registry.NamesFor(add))));
        Receive<RemoveReplicas>(remove => Begin(AdminRequestRules.CheckRemove(remove, registry.ListedCount, registry.IsListed),
            () => new RemoveTransaction(Sender, registry.VictimsOf(remove))));
        Supervising();
    }

    /// <summary>An /add or /rm is in progress: the next one waits its turn.</summary>
    private void Busy()
    {
        Receive<AddReplicas>(_ => Stash.Stash());
        Receive<RemoveReplicas>(_ => Stash.Stash());
        Supervising();
    }

    /// <summary>
    /// Events of a replica that takes part in the current transaction go to it; the others keep the set at
    /// N. The ring's answers go to the transaction that asked.
    /// </summary>
    private void Supervising()
    {
        Receive<GetReplicas>(_ => Sender.Tell(registry.ListedSet()));
        Receive<ShutDownReplicas>(_ => ShutDown());
        Receive<ReplicaExited>(children.Forward);
        Receive<ReplicaServing>(OnServing);
        Receive<ReplicaFailedToStart>(OnFailedToStart);
        Receive<ReplicaDied>(OnDied);
        Receive<ReplicaStopped>(OnStopped);
        Receive<RingJoined>(joined => Run(joined.Transaction, joined.Transaction.OnRingJoined()));
        Receive<RingJoinFailed>(failed => Run(failed.Transaction, failed.Transaction.OnRingJoinFailed(failed.Cause)));
        Receive<RemoveLeft>(OnRemoveLeft);
        Receive<ReconcileNow>(_ => Reconcile());
        Receive<ReplicaStable>(OnStable);
        Receive<Status.Failure>(failure => log.Error(failure.Cause, "The ring refused a replica"));
    }

    private void ShuttingDown()
    {
        Receive<GetReplicas>(_ => Sender.Tell(registry.ListedSet()));
        Receive<AddReplicas>(_ => Sender.Tell(ShuttingDownRejection));
        Receive<RemoveReplicas>(_ => Sender.Tell(ShuttingDownRejection));
        Receive<ShutDownReplicas>(_ => Sender.Tell(ReplicasShutDown.Instance));
        Receive<ReplicaExited>(children.Forward);
        Receive<ReplicaStopped>(stopped => Forget(stopped.Hostname));
        Receive<ReplicaFailedToStart>(failed => Forget(failed.Hostname));
        Receive<ReplicaDied>(died => Forget(died.Hostname));
        ReceiveAny(_ => { });
    }

    private void OnServing(ReplicaServing serving)
    {
        if (children.FromSender(serving.Replica.Hostname) is not { Phase: not ReplicaPhase.Stopping } entry)
        {
            return;
        }

        entry.Replica = serving.Replica;
        entry.HasServed = true;
        if (entry.Transaction is { } owner)
        {
            Run(owner, owner.OnServing(serving.Replica));
            return;
        }

        JoinReadyReplicas();
    }

    private void OnFailedToStart(ReplicaFailedToStart failed)
    {
        switch (children.GoneFromSender(failed.Hostname))
        {
            case { Transaction: { } owner }:
                Run(owner, owner.OnFailedToStart(failed));
                break;
            case not null:
                ReplaceFailedStart(failed);
                break;
        }
    }

    private void OnDied(ReplicaDied died)
    {
        var entry = children.GoneFromSender(died.Hostname);
        if (entry is { Phase: not ReplicaPhase.Stopping })
        {
            Context.System.EventStream.Publish(new ReplicaDeathDetected(died.Hostname, died.Reason, Now));
        }

        switch (entry)
        {
            case { Transaction: { } owner }:
                Run(owner, owner.OnDied(died));
                break;
            case not null:
                ReplaceDead(entry, died);
                break;
        }
    }

    private void OnStopped(ReplicaStopped stopped)
    {
        if (children.GoneFromSender(stopped.Hostname) is not { } entry)
        {
            return;
        }

        JoinReadyReplicas();
        if (entry.Transaction is { } owner)
        {
            Run(owner, owner.OnStopped(stopped.Hostname));
        }
    }

    private void ShutDown()
    {
        shutdownReplyTo = Sender;
        Timers.CancelAll();
        transaction?.ReplyTo.Tell(ShuttingDownRejection);
        transaction = null;
        Become(ShuttingDown);
        Stash.UnstashAll();

        if (options.StopReplicasOnShutdown)
        {
            log.Info("Shutting down: stopping {0} replicas", registry.All.Count);
            children.Stop(registry.All.Select(entry => entry.Hostname).ToArray(), TimeSpan.Zero);
        }
        else
        {
            log.Info("Shutting down: leaving {0} replicas running for the next balancer", registry.All.Count);
            children.AbandonAll();
        }

        ReplyIfShutDown();
    }

    private void Forget(string hostname)
    {
        children.GoneFromSender(hostname);
        ReplyIfShutDown();
    }

    private void ReplyIfShutDown()
    {
        if (registry.All.Count == 0)
        {
            shutdownReplyTo?.Tell(ReplicasShutDown.Instance);
        }
    }

    private sealed record AdoptionListed(IReadOnlyList<RunningReplica> Running, Exception? Error);
}
