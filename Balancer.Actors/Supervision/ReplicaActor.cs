using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using Balancer.Actors.Runtime;
using Balancer.Actors.Supervision.Detection;

namespace Balancer.Actors.Supervision;

/// <summary>
/// Owns one replica: launches it (or adopts a running one), heartbeats it, and tells its parent when it
/// first serves and when it dies, exactly once. While it serves, what its route sees counts too (see
/// <see cref="ReplicaLiveness"/>): answers to traffic are signs of life, an ejection makes it probe at once,
/// and a replica that stays ejected for <see cref="HeartbeatOptions.ReplaceFailingAfter"/> is declared dead.
/// Everything slow runs outside the actor and comes back as a message (PipeTo).
/// </summary>
public sealed partial class ReplicaActor : ReceiveActor, IWithTimers
{
    private const string HeartbeatTimer = "heartbeat";
    private const string StartDeadlineTimer = "start-deadline";
    private const string TrafficCheckTimer = "traffic-check";
    private const string FailingRequestsTimer = "failing-requests";

    private readonly string hostname;
    private readonly IReplicaRuntime runtime;
    private readonly IReplicaProbe probe;
    private readonly HeartbeatOptions heartbeat;
    private readonly ReplicaWatch watch;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private RunningReplica? replica;
    private bool heartbeatInFlight;
    private DateTimeOffset heartbeatSentAt;
    private ReplicaLiveness? liveness;
    private ReplicaRoute? route;
    private StopReplica? pendingStop;
    private ReplicaExited? earlyExit;

    public ReplicaActor(string hostname, RunningReplica? adopted, IReplicaRuntime runtime, ReplicaWatch watch)
    {
        this.hostname = hostname;
        this.runtime = runtime;
        this.watch = watch;
        probe = watch.Probe;
        heartbeat = watch.Heartbeat;
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

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    public static Props Launch(string hostname, IReplicaRuntime runtime, ReplicaWatch watch) =>
        Props.Create(() => new ReplicaActor(hostname, null, runtime, watch));

    public static Props Adopt(RunningReplica replica, IReplicaRuntime runtime, ReplicaWatch watch) =>
        Props.Create(() => new ReplicaActor(replica.Hostname, replica, runtime, watch));

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
                // Serving: from the start-up poll to the heartbeat interval.
                Timers.StartPeriodicTimer(HeartbeatTimer, HeartbeatTick.Instance, heartbeat.Interval);
                liveness = new ReplicaLiveness(heartbeat, Now);
                if (liveness.IsAdaptive)
                {
                    Timers.StartPeriodicTimer(TrafficCheckTimer, TrafficCheck.Instance, heartbeat.TrafficCheckInterval);
                }

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
        Receive<HeartbeatResult>(OnServingHeartbeat);
        Receive<TrafficCheck>(_ => CheckTraffic());
        Receive<WatchRoute>(OnWatchRoute);
        Receive<RouteEjected>(ejected => ReferenceEquals(ejected.Route, route), OnEjected);
        Receive<RouteReadmitted>(readmitted => ReferenceEquals(readmitted.Route, route), OnReadmitted);
        Receive<FailingRequestsDeadline>(OnFailingRequestsDeadline);
        Receive<RouteEjected>(_ => { });
        Receive<RouteReadmitted>(_ => { });
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
        Receive<TrafficCheck>(_ => { });
        Receive<WatchRoute>(_ => { });
        Receive<RouteEjected>(_ => { });
        Receive<RouteReadmitted>(_ => { });
        Receive<FailingRequestsDeadline>(_ => { });
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
        Timers.StartPeriodicTimer(HeartbeatTimer, HeartbeatTick.Instance, TimeSpan.Zero, heartbeat.FirstHeartbeatInterval);
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
        heartbeatSentAt = Now;
        if (liveness is not null)
        {
            // Answers given before the probe goes out must not count as given while it was out.
            ReadAnswers();
            liveness.ProbeSent(heartbeatSentAt);
        }

        probe.IsServingAsync(replica!, liveness?.ProbeTimeout ?? heartbeat.Timeout).PipeTo(Self,
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
        watch.Counters.CountDeclaredDead();
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

    private sealed record TrafficCheck
    {
        public static readonly TrafficCheck Instance = new();
    }

    /// <summary>The replica was ejected <see cref="HeartbeatOptions.ReplaceFailingAfter"/> ago; readmitted unless its count grew past <paramref name="Readmissions"/>.</summary>
    private sealed record FailingRequestsDeadline(ReplicaRoute Route, EjectionCause Cause, long Readmissions);

    private sealed record HeartbeatResult(bool Serving, string? Error);

    private sealed record DrainCheck(DateTimeOffset Deadline, ReplicaRoute? Route);

    private sealed record StopFinished(Exception? Error, object? Then = null);
}
