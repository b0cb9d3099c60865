using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Cluster;
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
public sealed partial class ReplicaSupervisor : ReceiveActor, IWithTimers
{
    private const string ListTimer = "list";
    private static readonly AdminRejected ShuttingDownRejection = new(AdminErrorKind.ShuttingDown, "The balancer is shutting down");

    private readonly IReplicaRuntime runtime;
    private readonly IActorRef ring;
    private readonly SupervisorOptions options;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly ReplicaRegistry registry;
    private readonly ReplicaChildren children;
    private readonly CrashBackoff backoff;
    private readonly ChangeQueue changes;
    private AdminTransaction? transaction;
    private IActorRef? shutdownReplyTo;
    private IDisposable? exitSubscription;
    private int failedListings;
    private IReadOnlyList<RunningReplica>? listedRunning;

    public ReplicaSupervisor(IReplicaRuntime runtime, IReplicaProbe probe, IActorRef ring, SupervisorOptions options)
    {
        this.runtime = runtime;
        this.ring = ring;
        this.options = options;
        options.Heartbeat.Validate();
        registry = new ReplicaRegistry(options.Random);
        children = new ReplicaChildren(Context, registry, runtime, new ReplicaWatch(probe, options.Heartbeat, options.Counters));
        backoff = new CrashBackoff(options.Backoff);
        changes = new ChangeQueue(options.MaxQueuedChanges);
        Become(Initializing);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    public static Props Props(IReplicaRuntime runtime, IReplicaProbe probe, IActorRef ring, SupervisorOptions options) =>
        Akka.Actor.Props.Create(() => new ReplicaSupervisor(runtime, probe, ring, options));

    /// <summary>A replica actor that throws is stopped, never restarted: its end is a message like any other (Terminated).</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart()
    {
        var self = Self;
        exitSubscription = runtime.SubscribeToExits(exited => self.Tell(exited));
        ReadRecorded();
        ListRunning();
    }

    protected override void PostStop() => exitSubscription?.Dispose();

    /// <summary>
    /// Until the runtime has listed what runs, nothing starts: starting from a set that failed to list would
    /// orphan the running replicas (and double them at the next restart). The listing is retried with backoff.
    /// </summary>
    private void Initializing()
    {
        Receive<AdoptionListed>(listed =>
        {
            if (listed.Error is not null)
            {
                var delay = Max(options.Backoff.Initial, options.Backoff.DelayAfter(++failedListings));
                log.Error(listed.Error, "Listing the runtime's replicas failed ({0} in a row); starting none until it works, next try in {1:0.###} s",
                    failedListings, delay.TotalSeconds);
                Timers.StartSingleTimer(ListTimer, ListAgain.Instance, delay);
                return;
            }

            listedRunning = listed.Running;
            StartOnceKnown();
        });
        Receive<RecordedReplicaSet>(OnRecorded);
        Receive<ListAgain>(_ => ListRunning());
        Receive<GetReplicas>(_ => Sender.Tell(registry.ListedSet()));
        Receive<GetReplicaStatus>(_ => ReportStatus(listing: true, shuttingDown: false));
        Receive<GetSpares>(_ => Sender.Tell(ListSpares()));
        Receive<AddReplicas>(add => Queue(add));
        Receive<RemoveReplicas>(remove => Queue(remove));
        Receive<ChangeDeadlinePassed>(OnQueuedDeadline);
        Receive<ShutDownReplicas>(_ => ShutDown());
        Receive<HandOverScheduling>(_ => HandOver());
        Receive<ReplicaExited>(children.Forward);
    }

    private void Idle()
    {
        Receive<AddReplicas>(add => Accept(new QueuedChange(add, Sender, Now)));
        Receive<RemoveReplicas>(remove => Accept(new QueuedChange(remove, Sender, Now)));
        Supervising();
    }

    /// <summary>An /add or /rm is in progress: the next ones wait their turn, a bounded number, each within its deadline.</summary>
    private void Busy()
    {
        Receive<AddReplicas>(add => Queue(add));
        Receive<RemoveReplicas>(remove => Queue(remove));
        Receive<TransactionDeadlinePassed>(passed => Run(passed.Transaction, passed.Transaction.OnDeadline(options.ChangeDeadline)));
        Supervising();
    }

    /// <summary>
    /// Events of a replica that takes part in the current transaction go to it; the others keep the set at
    /// N. The ring's answers go to whoever asked.
    /// </summary>
    private void Supervising()
    {
        Receive<GetReplicas>(_ => Sender.Tell(registry.ListedSet()));
        Receive<GetReplicaStatus>(_ => ReportStatus(listing: false, shuttingDown: false));
        Receive<GetSpares>(_ => Sender.Tell(ListSpares()));
        Receive<ShutDownReplicas>(_ => ShutDown());
        Receive<HandOverScheduling>(_ => HandOver());
        Receive<ReplicaExited>(children.Forward);
        Receive<ReplicaServing>(OnServing);
        Receive<ReplicaFailedToStart>(OnFailedToStart);
        Receive<ReplicaDied>(OnDied);
        Receive<ReplicaStopped>(OnStopped);
        Receive<Terminated>(OnChildEnded);
        Receive<RingChanged>(changed =>
        {
            WatchRoutes(changed.Table);
            OnRingAnswer(changed, null);
        });
        Receive<RingLeft>(left => OnRingAnswer(left, null));
        Receive<Status.Failure>(failure => OnRingAnswer(failure, failure.Cause));
        Receive<ChangeDeadlinePassed>(OnQueuedDeadline);
        Receive<ReconcileNow>(_ => Reconcile());
        Receive<ReplicaStable>(OnStable);
        ReactToRouteHealth();
    }

    private void ShuttingDown()
    {
        Receive<GetReplicas>(_ => Sender.Tell(registry.ListedSet()));
        Receive<GetReplicaStatus>(_ => ReportStatus(listing: false, shuttingDown: true));
        Receive<GetSpares>(_ => Sender.Tell(ListSpares()));
        Receive<AddReplicas>(_ => Sender.Tell(ShuttingDownRejection));
        Receive<RemoveReplicas>(_ => Sender.Tell(ShuttingDownRejection));
        Receive<ShutDownReplicas>(_ => Sender.Tell(ReplicasShutDown.Instance));
        Receive<HandOverScheduling>(_ => Context.Stop(Self));
        Receive<ReplicaExited>(children.Forward);
        Receive<ReplicaStopped>(stopped => Forget(stopped.Hostname));
        Receive<ReplicaFailedToStart>(failed => Forget(failed.Hostname));
        Receive<ReplicaDied>(died => Forget(died.Hostname));
        Receive<Terminated>(OnChildEnded);
        ReceiveAny(_ => { });
    }

    /// <summary>Adopts what runs and starts what is missing, once the runtime has listed (and, in a cluster, the ring has recorded) what there is.</summary>
    private void StartOnceKnown()
    {
        if (listedRunning is not { } running || !RecordedKnown)
        {
            return;
        }

        AdoptRunning(running);
        LeaveRecordedButNotAdopted();
        RecordDesiredIfChanged();
        registry.Prefer(options.NamesForInitialReplicas());
        Reconcile();
        registry.ForgetPreferred();
        Become(Idle);
        BeginNextChange();
    }

    private void ListRunning() =>
        runtime.ListAsync(CancellationToken.None).PipeTo(Self,
            success: running => new AdoptionListed(running, null),
            failure: exception => new AdoptionListed([], exception));

    /// <summary>
    /// A replica actor ended without saying why (it threw, or stopped early): the same as the report it
    /// owed, sent as if by the child, so every handler settles what waits on it.
    /// </summary>
    private void OnChildEnded(Terminated ended)
    {
        if (registry.Ended(ended.ActorRef))
        {
            return;
        }

        if (registry.All.FirstOrDefault(entry => entry.Actor.Equals(ended.ActorRef)) is not { } entry)
        {
            return;
        }

        log.Warning("The actor of replica {0} ended without a report; treating it as {1}", entry.Hostname, entry.Phase);
        object report = entry.Phase switch
        {
            ReplicaPhase.Stopping => new ReplicaStopped(entry.Hostname),
            ReplicaPhase.Serving or ReplicaPhase.Spare => new ReplicaDied(entry.Hostname, entry.Replica?.InstanceId ?? "", "its actor ended unexpectedly"),
            _ => new ReplicaFailedToStart(entry.Hostname, "its actor ended unexpectedly", null),
        };
        Self.Tell(report, ended.ActorRef);
    }

    private static TimeSpan Max(TimeSpan left, TimeSpan right) => left > right ? left : right;

    private void OnServing(ReplicaServing serving)
    {
        if (children.FromSender(serving.Replica.Hostname) is not { Phase: not ReplicaPhase.Stopping } entry)
        {
            return;
        }

        entry.Replica = serving.Replica;
        entry.HasServed = true;
        if (entry.IsSpare)
        {
            OnSpareReady(entry);
            return;
        }

        if (entry.Transaction is { } owner)
        {
            Run(owner, owner.OnServing(serving.Replica));
            return;
        }

        JoinReadyReplicas();
    }

    private void OnFailedToStart(ReplicaFailedToStart failed)
    {
        var entry = children.GoneFromSender(failed.Hostname);
        if (entry is not null)
        {
            options.Counters.CountFailedStart();
        }

        switch (entry)
        {
            case { Transaction: { } owner }:
                Run(owner, owner.OnFailedToStart(failed));
                break;
            case not null:
                ReplaceFailedStart(entry, failed);
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
            return;
        }

        // Stopped outside any change (the ring refused it): the set is one short.
        Reconcile();
    }

    private void ShutDown()
    {
        shutdownReplyTo = Sender;
        Timers.CancelAll();
        transaction?.Answer(ShuttingDownRejection);
        transaction = null;
        foreach (var waiting in changes.DrainAll())
        {
            waiting.ReplyTo.Tell(ShuttingDownRejection);
        }

        Become(ShuttingDown);

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

    private sealed record ListAgain
    {
        public static readonly ListAgain Instance = new();
    }
}
