using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Ring;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

/// <summary>
/// Holds the desired replica set and keeps it true: one <see cref="ReplicaActor"/> per replica, a
/// replacement for every replica that dies (with backoff when they keep dying), and /add and /rm
/// served one at a time so racing requests never lose an update. Replicas join the ring only once
/// they serve, and leave it before they are stopped.
/// </summary>
public sealed class ReplicaSupervisor : ReceiveActor, IWithStash, IWithTimers
{
    private const string ReconcileTimer = "reconcile";
    private static readonly TimeSpan RingTimeout = TimeSpan.FromSeconds(10);

    private readonly IReplicaRuntime runtime;
    private readonly IReplicaProbe probe;
    private readonly IActorRef ring;
    private readonly SupervisorOptions options;
    private readonly IInFlightGauge inFlight;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly Dictionary<string, ReplicaEntry> entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<string> preferredNames = new();
    private long nextSequence;
    private int nextBatch;
    private int desired;
    private int consecutiveFailures;
    private DateTimeOffset noStartBefore = DateTimeOffset.MinValue;
    private object? operation;
    private IActorRef? shutdownReplyTo;
    private IDisposable? exitSubscription;

    public ReplicaSupervisor(IReplicaRuntime runtime, IReplicaProbe probe, IActorRef ring, SupervisorOptions options,
        IInFlightGauge inFlight)
    {
        this.runtime = runtime;
        this.probe = probe;
        this.ring = ring;
        this.options = options;
        this.inFlight = inFlight;
        options.Heartbeat.Validate();
        Become(Initializing);
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    public static Props Props(IReplicaRuntime runtime, IReplicaProbe probe, IActorRef ring, SupervisorOptions options,
        IInFlightGauge? inFlight = null) =>
        Akka.Actor.Props.Create(() => new ReplicaSupervisor(runtime, probe, ring, options, inFlight ?? NoTrafficGauge.Instance));

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
            Adopt(listed);
            Reconcile();
            Become(Idle);
            Stash.UnstashAll();
        });
        Receive<GetReplicas>(_ => Sender.Tell(ListedSet()));
        ReceiveAny(_ => Stash.Stash());
    }

    private void Idle()
    {
        Receive<AddReplicas>(StartAdd);
        Receive<RemoveReplicas>(StartRemove);
        Supervising();
    }

    /// <summary>An /add or /rm is in progress: the next one waits its turn.</summary>
    private void Busy()
    {
        Receive<AddReplicas>(_ => Stash.Stash());
        Receive<RemoveReplicas>(_ => Stash.Stash());
        Supervising();
    }

    private void Supervising()
    {
        Receive<GetReplicas>(_ => Sender.Tell(ListedSet()));
        Receive<ShutDownReplicas>(_ => ShutDown());
        Receive<ReplicaExited>(ForwardExit);
        Receive<ReplicaServing>(OnServing);
        Receive<ReplicaFailedToStart>(OnFailedToStart);
        Receive<ReplicaDied>(OnDied);
        Receive<ReplicaStopped>(OnStopped);
        Receive<AddJoined>(OnAddJoined);
        Receive<AddJoinFailed>(OnAddJoinFailed);
        Receive<RemoveLeft>(OnRemoveLeft);
        Receive<ReconcileNow>(_ => Reconcile());
        Receive<ReplicaStable>(OnStable);
        Receive<Status.Failure>(failure => log.Error(failure.Cause, "The ring refused a replica"));
    }

    private void ShuttingDown()
    {
        Receive<GetReplicas>(_ => Sender.Tell(ListedSet()));
        Receive<AddReplicas>(_ => Sender.Tell(new AdminRejected(AdminErrorKind.ShuttingDown, "The balancer is shutting down")));
        Receive<RemoveReplicas>(_ => Sender.Tell(new AdminRejected(AdminErrorKind.ShuttingDown, "The balancer is shutting down")));
        Receive<ShutDownReplicas>(_ => Sender.Tell(ReplicasShutDown.Instance));
        Receive<ReplicaExited>(ForwardExit);
        Receive<ReplicaStopped>(stopped => Forget(stopped.Hostname));
        Receive<ReplicaFailedToStart>(failed => Forget(failed.Hostname));
        Receive<ReplicaDied>(died => Forget(died.Hostname));
        ReceiveAny(_ => { });
    }

    private void Adopt(AdoptionListed listed)
    {
        if (listed.Error is not null)
        {
            log.Error(listed.Error, "Listing the runtime's replicas failed; starting from an empty set");
        }

        var batch = nextBatch++;
        foreach (var replica in listed.Running.OrderBy(replica => replica.Hostname, StringComparer.OrdinalIgnoreCase))
        {
            log.Info("Adopting running replica {0} ({1}) at {2}", replica.Hostname, replica.InstanceId, replica.Address);
            var child = Context.ActorOf(ReplicaActor.Adopt(replica, runtime, probe, options.Heartbeat, inFlight), ChildName(replica.Hostname));
            entries[replica.Hostname] = new ReplicaEntry(replica.Hostname, child, nextSequence++, batch, null) { Replica = replica };
        }

        desired = Math.Max(options.Replicas, entries.Count);
        foreach (var name in options.NamesForInitialReplicas().Where(name => !entries.ContainsKey(name)))
        {
            preferredNames.Enqueue(name);
        }
    }

    /// <summary>Starts replicas until the set has the desired size, unless a backoff is running.</summary>
    private void Reconcile()
    {
        if (shutdownReplyTo is not null)
        {
            return;
        }

        var missing = desired - entries.Values.Count(entry => entry.IsCounted);
        if (missing <= 0)
        {
            return;
        }

        if (Now < noStartBefore)
        {
            Timers.StartSingleTimer(ReconcileTimer, ReconcileNow.Instance, noStartBefore - Now);
            return;
        }

        var batch = nextBatch++;
        for (var index = 0; index < missing; index++)
        {
            StartReplica(NextName(), null, batch);
        }
    }

    private string NextName()
    {
        while (preferredNames.TryDequeue(out var preferred))
        {
            if (!entries.ContainsKey(preferred))
            {
                return preferred;
            }
        }

        return ReplicaNames.RandomExcept(entries.Keys);
    }

    private void StartReplica(string hostname, AddOperation? add, int batch)
    {
        log.Info("Starting replica {0}", hostname);
        var child = Context.ActorOf(ReplicaActor.Launch(hostname, runtime, probe, options.Heartbeat, inFlight), ChildName(hostname));
        entries[hostname] = new ReplicaEntry(hostname, child, nextSequence++, batch, add);
    }

    private string ChildName(string hostname) => $"replica-{hostname}-{nextSequence}";

    private void ForwardExit(ReplicaExited exited)
    {
        if (entries.TryGetValue(exited.Hostname, out var entry))
        {
            entry.Actor.Forward(exited);
        }
    }

    private bool TryGetEntryFromSender(string hostname, out ReplicaEntry entry)
    {
        if (entries.TryGetValue(hostname, out var found) && found.Actor.Equals(Sender))
        {
            entry = found;
            return true;
        }

        entry = null!;
        return false;
    }

    private void OnServing(ReplicaServing serving)
    {
        if (!TryGetEntryFromSender(serving.Replica.Hostname, out var entry) || entry.Phase == ReplicaPhase.Stopping)
        {
            return;
        }

        entry.Replica = serving.Replica;
        if (entry.Operation is { } add)
        {
            add.Starting.Remove(entry.Hostname);
            add.Ready.Add(serving.Replica);
            if (add.Starting.Count == 0)
            {
                // All of this add's replicas serve: they join the ring together, or not at all.
                ring.Ask<RingChanged>(new JoinRing(add.Ready.ToArray()), RingTimeout).PipeTo(Self,
                    success: _ => new AddJoined(add),
                    failure: exception => new AddJoinFailed(add, exception));
            }

            return;
        }

        entry.HasServed = true;
        JoinReadyReplicas();
    }

    /// <summary>
    /// Joins replicas that serve, in the order they were started within their batch: the ring gives server
    /// ids in join order, so S1, S2, S3 get ids 1, 2, 3 whichever answers its first heartbeat first.
    /// </summary>
    private void JoinReadyReplicas()
    {
        var waiting = entries.Values
            .Where(entry => entry.Operation is null && entry.Phase == ReplicaPhase.Starting)
            .OrderBy(entry => entry.Sequence)
            .ToArray();
        foreach (var entry in waiting.Where(entry => entry.HasServed))
        {
            var earlierStillStarting = waiting.Any(other =>
                other.Batch == entry.Batch && other.Sequence < entry.Sequence && !other.HasServed);
            if (!earlierStillStarting)
            {
                MarkServing(entry);
                ring.Tell(new JoinRing([entry.Replica!]));
            }
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
        if (entries.TryGetValue(stable.Hostname, out var entry) && entry.Sequence == stable.Sequence && entry.Phase == ReplicaPhase.Serving)
        {
            consecutiveFailures = 0;
        }
    }

    private void OnFailedToStart(ReplicaFailedToStart failed)
    {
        if (!TryGetEntryFromSender(failed.Hostname, out var entry))
        {
            return;
        }

        entries.Remove(failed.Hostname);
        if (entry.Operation is { } add)
        {
            add.Starting.Remove(failed.Hostname);
            add.Failure ??= Classify(failed);
            StopRestOf(add);
            TryFinishFailedAdd(add);
            return;
        }

        JoinReadyReplicas();
        consecutiveFailures++;
        var delay = options.Backoff.DelayAfter(consecutiveFailures);
        log.Error("Replica {0} failed to start: {1}. Retrying in {2:0.###} s ({3} failure(s) in a row)",
            failed.Hostname, failed.Reason, delay.TotalSeconds, consecutiveFailures);
        RetryAfter(delay);
    }

    private void OnDied(ReplicaDied died)
    {
        if (!TryGetEntryFromSender(died.Hostname, out var entry) || entry.Phase == ReplicaPhase.Stopping)
        {
            return;
        }

        entries.Remove(died.Hostname);
        Context.System.EventStream.Publish(new ReplicaDeathDetected(died.Hostname, died.Reason, Now));
        if (entry.Operation is { } add)
        {
            add.Ready.RemoveAll(replica => string.Equals(replica.Hostname, died.Hostname, StringComparison.OrdinalIgnoreCase));
            add.Starting.Remove(died.Hostname);
            add.Failure ??= new AdminRejected(AdminErrorKind.RuntimeFailure, $"Replica '{died.Hostname}' died while starting: {died.Reason}");
            StopRestOf(add);
            TryFinishFailedAdd(add);
            return;
        }

        ring.Tell(new LeaveRing([died.Hostname]));
        JoinReadyReplicas();
        var diedYoung = entry.Phase != ReplicaPhase.Serving || Now - entry.ServingSince < options.Backoff.StableAfter;
        consecutiveFailures = diedYoung ? consecutiveFailures + 1 : 1;
        var delay = options.Backoff.DelayAfter(consecutiveFailures);
        log.Warning("Replica {0} died ({1}); replacing it{2}", died.Hostname, died.Reason,
            delay > TimeSpan.Zero ? $" in {delay.TotalSeconds:0.###} s ({consecutiveFailures} failures in a row)" : " now");
        RetryAfter(delay);
    }

    private void RetryAfter(TimeSpan delay)
    {
        noStartBefore = Now + delay;
        Reconcile();
    }

    private void OnStopped(ReplicaStopped stopped)
    {
        if (!TryGetEntryFromSender(stopped.Hostname, out _))
        {
            return;
        }

        entries.Remove(stopped.Hostname);
        JoinReadyReplicas();
        switch (operation)
        {
            case AddOperation add when add.Stopping.Remove(stopped.Hostname):
                TryFinishFailedAdd(add);
                break;
            case RemoveOperation remove when remove.Stopping.Remove(stopped.Hostname) && remove.Stopping.Count == 0:
                remove.ReplyTo.Tell(ListedSet());
                FinishOperation();
                break;
        }
    }

    private void StartAdd(AddReplicas request)
    {
        var counted = entries.Values.Count(entry => entry.IsCounted);
        if (AdminRequestRules.CheckAdd(request, counted, options.MaxReplicas, entries.ContainsKey) is { } error)
        {
            Sender.Tell(Invalid(error));
            return;
        }

        var names = new List<string>(request.Hostnames);
        while (names.Count < request.Count)
        {
            names.Add(ReplicaNames.RandomExcept(entries.Keys.Concat(names)));
        }

        var add = new AddOperation(Sender, names);
        operation = add;
        Become(Busy);
        var batch = nextBatch++;
        foreach (var name in names)
        {
            StartReplica(name, add, batch);
        }
    }

    private void StartRemove(RemoveReplicas request)
    {
        var listed = entries.Values.Count(entry => entry.IsListed);
        if (AdminRequestRules.CheckRemove(request, listed, name => entries.TryGetValue(name, out var entry) && entry.IsListed) is { } error)
        {
            Sender.Tell(Invalid(error));
            return;
        }

        var victims = new List<string>(request.Hostnames.Select(name => entries[name].Hostname));
        var candidates = entries.Values
            .Where(entry => entry.IsListed && !victims.Contains(entry.Hostname, StringComparer.OrdinalIgnoreCase))
            .Select(entry => entry.Hostname)
            .ToArray();
        Random.Shared.Shuffle(candidates);
        victims.AddRange(candidates.Take(request.Count - victims.Count));

        var remove = new RemoveOperation(Sender, victims);
        operation = remove;
        Become(Busy);
        desired -= victims.Count;
        foreach (var victim in victims)
        {
            entries[victim].Phase = ReplicaPhase.Stopping;
        }

        log.Info("Removing replicas {0}", string.Join(", ", victims));
        ring.Ask<RingChanged>(new LeaveRing(victims), RingTimeout).PipeTo(Self,
            success: _ => new RemoveLeft(remove, victims),
            failure: _ => new RemoveLeft(remove, victims));
    }

    private void OnRemoveLeft(RemoveLeft left)
    {
        // Out of the ring now: each replica drains what it has in flight, then stops.
        foreach (var victim in left.Victims)
        {
            if (entries.TryGetValue(victim, out var entry))
            {
                entry.Actor.Tell(new StopReplica(options.DrainTimeout));
            }
        }
    }

    private void OnAddJoined(AddJoined joined)
    {
        var add = joined.Operation;
        if (!ReferenceEquals(operation, add))
        {
            return;
        }

        if (add.Failure is not null)
        {
            // A replica died after all of them served but before the ring answered: undo the join.
            ring.Tell(new LeaveRing(add.Ready.Select(replica => replica.Hostname).ToArray()));
            StopRestOf(add);
            TryFinishFailedAdd(add);
            return;
        }

        foreach (var replica in add.Ready)
        {
            var entry = entries[replica.Hostname];
            entry.Operation = null;
            MarkServing(entry);
        }

        desired += add.Ready.Count;
        log.Info("Added replicas {0}", string.Join(", ", add.Ready.Select(replica => replica.Hostname)));
        add.ReplyTo.Tell(ListedSet());
        FinishOperation();
    }

    private void OnAddJoinFailed(AddJoinFailed failed)
    {
        var add = failed.Operation;
        if (!ReferenceEquals(operation, add))
        {
            return;
        }

        add.Failure ??= Invalid(failed.Cause.GetBaseException().Message);
        StopRestOf(add);
        TryFinishFailedAdd(add);
    }

    /// <summary>Stops every replica the failed add started that is not stopped yet.</summary>
    private void StopRestOf(AddOperation add)
    {
        foreach (var entry in entries.Values.Where(entry => entry.Operation == add && entry.Phase != ReplicaPhase.Stopping))
        {
            entry.Phase = ReplicaPhase.Stopping;
            add.Starting.Remove(entry.Hostname);
            add.Stopping.Add(entry.Hostname);
            entry.Actor.Tell(new StopReplica(TimeSpan.Zero));
        }
    }

    private void TryFinishFailedAdd(AddOperation add)
    {
        if (ReferenceEquals(operation, add) && add.Failure is not null && add.Settled)
        {
            log.Warning("Add failed and was rolled back: {0}", add.Failure.Message);
            add.ReplyTo.Tell(add.Failure);
            FinishOperation();
        }
    }

    private void FinishOperation()
    {
        operation = null;
        Become(Idle);
        Stash.UnstashAll();
    }

    private void ShutDown()
    {
        shutdownReplyTo = Sender;
        Timers.CancelAll();
        switch (operation)
        {
            case AddOperation add:
                add.ReplyTo.Tell(new AdminRejected(AdminErrorKind.ShuttingDown, "The balancer is shutting down"));
                break;
            case RemoveOperation remove:
                remove.ReplyTo.Tell(new AdminRejected(AdminErrorKind.ShuttingDown, "The balancer is shutting down"));
                break;
        }

        operation = null;
        Become(ShuttingDown);
        Stash.UnstashAll();

        if (options.StopReplicasOnShutdown)
        {
            log.Info("Shutting down: stopping {0} replicas", entries.Count);
            foreach (var entry in entries.Values)
            {
                entry.Phase = ReplicaPhase.Stopping;
                entry.Actor.Tell(new StopReplica(TimeSpan.Zero));
            }
        }
        else
        {
            log.Info("Shutting down: leaving {0} replicas running for the next balancer", entries.Count);
            foreach (var entry in entries.Values)
            {
                entry.Actor.Tell(new AbandonReplica());
            }

            entries.Clear();
        }

        ReplyIfShutDown();
    }

    private void Forget(string hostname)
    {
        if (entries.TryGetValue(hostname, out var entry) && entry.Actor.Equals(Sender))
        {
            entries.Remove(hostname);
        }

        ReplyIfShutDown();
    }

    private void ReplyIfShutDown()
    {
        if (entries.Count == 0)
        {
            shutdownReplyTo?.Tell(ReplicasShutDown.Instance);
        }
    }

    private ReplicaSet ListedSet() =>
        new(entries.Values.Where(entry => entry.IsListed).OrderBy(entry => entry.Sequence).Select(entry => entry.Hostname).ToArray());

    private static AdminRejected Invalid(string message) => new(AdminErrorKind.InvalidRequest, message);

    private static AdminRejected Classify(ReplicaFailedToStart failed) => failed.Cause switch
    {
        ReplicaNameConflictException conflict => new AdminRejected(AdminErrorKind.NameConflict, conflict.Message),
        _ => new AdminRejected(AdminErrorKind.RuntimeFailure, $"Replica '{failed.Hostname}' failed to start: {failed.Reason}"),
    };

    private sealed record AdoptionListed(IReadOnlyList<RunningReplica> Running, Exception? Error);

    private sealed record ReconcileNow
    {
        public static readonly ReconcileNow Instance = new();
    }

    private sealed record ReplicaStable(string Hostname, long Sequence);

    private sealed record AddJoined(AddOperation Operation);

    private sealed record AddJoinFailed(AddOperation Operation, Exception Cause);

    private sealed record RemoveLeft(RemoveOperation Operation, IReadOnlyList<string> Victims);
}
