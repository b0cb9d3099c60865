using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using Balancer.Actors.Supervision.Detection;

namespace Balancer.Actors.Supervision;

/// <summary>
/// Watching a serving replica: heartbeat results, the answers its route counts, the data path's ejections,
/// judged by <see cref="ReplicaLiveness"/>; and the replacement of one that stays ejected.
/// </summary>
public sealed partial class ReplicaActor
{
    private void OnServingHeartbeat(HeartbeatResult result)
    {
        heartbeatInFlight = false;
        if (result.Serving)
        {
            liveness!.ProbeAnswered(Now);
            return;
        }

        watch.Counters.CountHeartbeatFailure();
        // Answers given while the probe was out show life as well as the probe would have.
        ReadAnswers();
        if (liveness!.ProbeFailed(Now))
        {
            log.Warning("Replica {0} missed heartbeat {1} of {2} (given {3:0.###} s): {4}", hostname, liveness.Misses,
                heartbeat.MissesBeforeDead, (Now - heartbeatSentAt).TotalSeconds, result.Error ?? "not successful");
        }

        Judge();
    }

    /// <summary>The adaptive rule's look at the route (every traffic check): a sign of life, a verdict, or a probe now.</summary>
    private void CheckTraffic()
    {
        ReadAnswers();
        if (Judge())
        {
            return;
        }

        if (liveness!.IsSuspect(Now))
        {
            SendHeartbeat();
        }
    }

    private void OnWatchRoute(WatchRoute watched)
    {
        if (ReferenceEquals(watched.Route, route) || !string.Equals(watched.Route.Hostname, hostname, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        route = watched.Route;
        liveness!.ForgetAnswers();
        ReadAnswers();
    }

    private void OnEjected(RouteEjected ejected)
    {
        log.Info("Replica {0} was ejected from routing ({1}); probing it now", hostname, ejected.Cause);
        // Answers it gave before the ejection must not clear the suspicion the ejection raises.
        ReadAnswers();
        liveness!.Ejected();
        if (liveness.IsAdaptive)
        {
            SendHeartbeat();
        }

        // The first ejection of a spell counts from its start; a readmission ends the spell.
        if (!Timers.IsTimerActive(FailingRequestsTimer))
        {
            Timers.StartSingleTimer(FailingRequestsTimer,
                new FailingRequestsDeadline(ejected.Route, ejected.Cause, ejected.Route.Health.Readmissions), heartbeat.ReplaceFailingAfter);
        }
    }

    private void OnReadmitted(RouteReadmitted readmitted)
    {
        if (Timers.IsTimerActive(FailingRequestsTimer))
        {
            log.Info("Replica {0} routes again", hostname);
            Timers.Cancel(FailingRequestsTimer);
        }
    }

    private void OnFailingRequestsDeadline(FailingRequestsDeadline deadline)
    {
        // A readmission whose news was overtaken by the ejection's (both are told from request threads).
        if (!ReferenceEquals(deadline.Route, route) || deadline.Route.Health.Readmissions > deadline.Readmissions)
        {
            return;
        }

        watch.Counters.CountReplacedForFailingRequests();
        Die($"ejected from routing for {Describe(deadline.Cause)} and not readmitted within {heartbeat.ReplaceFailingAfter.TotalSeconds:0.###} s");
    }

    private static string Describe(EjectionCause cause) => cause switch
    {
        EjectionCause.ErrorResponses => "error responses",
        _ => "requests it left unanswered",
    };

    private void ReadAnswers()
    {
        if (route is not null)
        {
            liveness!.AnswersCounted(watch.AnswersOf(route), Now);
        }
    }

    /// <summary>Declares the replica dead when the rule says so; true if it did.</summary>
    private bool Judge()
    {
        if (liveness!.DeathReason(Now) is not { } reason)
        {
            return false;
        }

        Die(reason);
        return true;
    }
}
