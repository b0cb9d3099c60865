using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Routing;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

/// <summary>
/// Owns one replica: launches it (or adopts a running one), heartbeats it, and tells its parent when it
/// first serves and when it dies, exactly once. Everything slow runs outside the actor and comes back
/// as a message (PipeTo).
/// </summary>
public sealed class ReplicaActor : ReceiveActor, IWithTimers
{
    private const string HeartbeatTimer = "heartbeat";
    private const string StartDeadlineTimer = "start-deadline";

    private readonly string hostname;
    private readonly IReplicaRuntime runtime;
    private readonly IReplicaProbe probe;
    private readonly HeartbeatOptions heartbeat;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private RunningReplica? replica;
    private bool heartbeatInFlight;
    private int missedHeartbeats;
    private StopReplica? pendingStop;
    private ReplicaExited? earlyExit;

    public ReplicaActor(string hostname, RunningReplica? adopted, IReplicaRuntime runtime, IReplicaProbe probe,
        HeartbeatOptions heartbeat)
    {
        this.hostname = hostname;
        this.runtime = runtime;
        this.probe = probe;
        this.heartbeat = heartbeat;
        replica = adopted;

        if (adopted is null)
        {
            Become(Launching);
        }
        else
        {
            Become(AwaitingFirstHeartbeat);
        }
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Launch(string hostname, IReplicaRuntime runtime, IReplicaProbe probe, HeartbeatOptions heartbeat) =>
        Props.Create(() => new ReplicaActor(hostname, null, runtime, probe, heartbeat));

    public static Props Adopt(RunningReplica replica, IReplicaRuntime runtime, IReplicaProbe probe, HeartbeatOptions heartbeat) =>
        Props.Create(() => new ReplicaActor(replica.Hostname, replica, runtime, probe, heartbeat));

    protected override void PreStart()
    {
        if (replica is null)
        {
            // The start timeout covers the launch too: a runtime call that never returns must not hold the
            // replica (and an /add waiting on it) forever.
            Timers.StartSingleTimer(StartDeadlineTimer, StartDeadline.Instance, heartbeat.StartTimeout);
            Launch().PipeTo(Self,
                success: running => new Launched(running),
                failure: exception => new LaunchFailed(exception));
        }
        else
        {
            StartWatching();
        }
    }

    /// <summary>A start that throws before it returns a task fails like one whose task fails.</summary>
    private Task<RunningReplica> Launch()
    {
        try
        {
            return runtime.StartAsync(hostname, CancellationToken.None);
        }
        catch (Exception exception)
        {
            return Task.FromException<RunningReplica>(exception);
        }
    }

    private void Launching()
    {
        Receive<Launched>(launched =>
        {
            replica = launched.Replica;
            if (pendingStop is not null)
            {
                StopNow(pendingStop);
                return;
            }

            if (earlyExit is not null && earlyExit.InstanceId == replica.InstanceId)
            {
                FailToStart($"exited before serving ({earlyExit.Reason})");
                return;
            }

            StartWatching();
            Become(AwaitingFirstHeartbeat);
        });
        Receive<LaunchFailed>(failed =>
        {
            var reason = failed.Cause.GetBaseException().Message;
            if (pendingStop is not null)
            {
                Context.Parent.Tell(new ReplicaStopped(hostname));
            }
            else
            {
                Context.Parent.Tell(new ReplicaFailedToStart(hostname, reason, failed.Cause));
            }

            Context.Stop(Self);
        });
        Receive<StartDeadline>(_ =>
        {
            // The parent hears now; whatever the runtime still launches is stopped when it arrives.
            log.Warning("Replica {0} was not launched within {1:0.#} s", hostname, heartbeat.StartTimeout.TotalSeconds);
            Context.Parent.Tell(pendingStop is not null
                ? new ReplicaStopped(hostname)
                : new ReplicaFailedToStart(hostname, $"not launched within {heartbeat.StartTimeout.TotalSeconds:0.#} s", null));
            Become(AwaitingLateLaunch);
        });
        Receive<StopReplica>(stop => pendingStop = stop);
        Receive<AbandonReplica>(_ => Context.Stop(Self));
        // The exit of a replica that crashes at once can overtake the news that it was launched.
        Receive<ReplicaExited>(exited => earlyExit = exited);
    }

    /// <summary>Given up on: a launch that still completes is stopped at once, and the actor ends.</summary>
    private void AwaitingLateLaunch()
    {
        Receive<Launched>(launched =>
        {
            replica = launched.Replica;
            runtime.StopAsync(launched.Replica, CancellationToken.None).PipeTo(Self,
                success: () => new StopFinished(null), failure: exception => new StopFinished(exception));
            Become(Finishing);
        });
        Receive<LaunchFailed>(_ => Context.Stop(Self));
        ReceiveAny(_ => { });
    }

    private void AwaitingFirstHeartbeat()
    {
        Receive<HeartbeatTick>(_ => SendHeartbeat());
        Receive<HeartbeatResult>(result =>
        {
            heartbeatInFlight = false;
            if (result.Serving)
            {
                Timers.Cancel(StartDeadlineTimer);
                missedHeartbeats = 0;
                Context.Parent.Tell(new ReplicaServing(replica!));
                Become(Serving);
            }
        });
        Receive<StartDeadline>(_ => FailToStart($"no good heartbeat within {heartbeat.StartTimeout.TotalSeconds:0.#} s"));
        Receive<ReplicaExited>(exited => IsThisInstance(exited), exited => FailToStart($"exited before serving ({exited.Reason})"));
        Receive<ReplicaExited>(_ => { });
        Receive<StopReplica>(StopNow);
        Receive<AbandonReplica>(_ => Context.Stop(Self));
    }

    private void Serving()
    {
        Receive<HeartbeatTick>(_ => SendHeartbeat());
        Receive<HeartbeatResult>(result =>
        {
            heartbeatInFlight = false;
            if (result.Serving)
            {
                missedHeartbeats = 0;
                return;
            }

            missedHeartbeats++;
            log.Warning("Replica {0} missed heartbeat {1} of {2}: {3}", hostname, missedHeartbeats, heartbeat.MissesBeforeDead,
                result.Error ?? "not successful");
            if (missedHeartbeats >= heartbeat.MissesBeforeDead)
            {
                Die($"missed {missedHeartbeats} heartbeats in a row");
            }
        });
        Receive<ReplicaExited>(exited => IsThisInstance(exited), exited => Die($"exited ({exited.Reason})"));
        Receive<ReplicaExited>(_ => { });
        Receive<StopReplica>(StopNow);
        Receive<AbandonReplica>(_ => Context.Stop(Self));
    }

    private void Stopping()
    {
        Receive<DrainCheck>(check =>
        {
            if (check.Route is { } route && route.InFlight.Value > 0 && Context.System.Scheduler.Now < check.Deadline)
            {
                Timers.StartSingleTimer("drain", check, TimeSpan.FromMilliseconds(50));
                return;
            }

            runtime.StopAsync(replica!, CancellationToken.None).PipeTo(Self,
                success: () => new StopFinished(null),
                failure: exception => new StopFinished(exception));
        });
        Receive<StopFinished>(finished =>
        {
            if (finished.Error is not null)
            {
                log.Error(finished.Error, "Stopping replica {0} failed", hostname);
            }

            Context.Parent.Tell(new ReplicaStopped(hostname));
            Context.Stop(Self);
        });
        Receive<StopReplica>(_ => { });
        Receive<HeartbeatTick>(_ => { });
        Receive<HeartbeatResult>(_ => { });
        Receive<ReplicaExited>(_ => { });
        Receive<StartDeadline>(_ => { });
        Receive<AbandonReplica>(_ => { });
    }

    /// <summary>After a failure or a death: the replica is stopped (a hung one must not linger) and the actor ends.</summary>
    private void Finishing()
    {
        Receive<StopFinished>(finished =>
        {
            if (finished.Error is not null)
            {
                log.Error(finished.Error, "Cleaning up replica {0} failed", hostname);
            }

            if (finished.Then is not null)
            {
                Context.Parent.Tell(finished.Then);
            }

            Context.Stop(Self);
        });
        ReceiveAny(_ => { });
    }

    private bool IsThisInstance(ReplicaExited exited) => exited.InstanceId == replica?.InstanceId;

    private void StartWatching()
    {
        Timers.StartPeriodicTimer(HeartbeatTimer, HeartbeatTick.Instance, TimeSpan.Zero, heartbeat.Interval);
        // A launched replica's deadline runs since its launch began; an adopted one's starts now.
        if (!Timers.IsTimerActive(StartDeadlineTimer))
        {
            Timers.StartSingleTimer(StartDeadlineTimer, StartDeadline.Instance, heartbeat.StartTimeout);
        }
    }

    private void SendHeartbeat()
    {
        if (heartbeatInFlight)
        {
            return;
        }

        heartbeatInFlight = true;
        probe.IsServingAsync(replica!, heartbeat.Timeout).PipeTo(Self,
            success: serving => new HeartbeatResult(serving, null),
            failure: exception => new HeartbeatResult(false, exception.GetBaseException().Message));
    }

    private void StopNow(StopReplica stop)
    {
        Timers.CancelAll();
        Become(Stopping);
        Self.Tell(new DrainCheck(Context.System.Scheduler.Now + stop.DrainTimeout, stop.Route));
    }

    private void FailToStart(string reason)
    {
        log.Warning("Replica {0} failed to start: {1}", hostname, reason);
        CleanUpThen(new ReplicaFailedToStart(hostname, reason, null), reportFirst: false);
    }

    private void Die(string reason)
    {
        log.Warning("Replica {0} is dead: {1}", hostname, reason);
        // The parent hears of the death first, so the replacement starts while this one is cleaned up.
        CleanUpThen(new ReplicaDied(hostname, replica!.InstanceId, reason), reportFirst: true);
    }

    private void CleanUpThen(object report, bool reportFirst)
    {
        Timers.CancelAll();
        if (reportFirst)
        {
            Context.Parent.Tell(report);
        }

        Become(Finishing);
        runtime.StopAsync(replica!, CancellationToken.None).PipeTo(Self,
            success: () => new StopFinished(null, reportFirst ? null : report),
            failure: exception => new StopFinished(exception, reportFirst ? null : report));
    }

    private sealed record Launched(RunningReplica Replica);

    private sealed record LaunchFailed(Exception Cause);

    private sealed record HeartbeatTick
    {
        public static readonly HeartbeatTick Instance = new();
    }

    private sealed record StartDeadline
    {
        public static readonly StartDeadline Instance = new();
    }

    private sealed record HeartbeatResult(bool Serving, string? Error);

    private sealed record DrainCheck(DateTimeOffset Deadline, ReplicaRoute? Route);

    private sealed record StopFinished(Exception? Error, object? Then = null);
}
