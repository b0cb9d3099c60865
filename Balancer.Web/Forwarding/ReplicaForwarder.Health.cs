using System.Runtime.CompilerServices;
using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using Balancer.Web.Api;
using Balancer.Web.Forwarding.Upstream;
using Yarp.ReverseProxy.Forwarder;

namespace Balancer.Web.Forwarding;

/// <summary>
/// Forwarding with health tracking: judged attempts, adaptive timeouts, 5xx retried, ejections reported.
/// The per-request methods use pooled async builders, so a request allocates no state machine box for them.
/// </summary>
internal sealed partial class ReplicaForwarder
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ForwardJudgedAsync(HttpContext context, long requestId, ReplicaLease lease)
    {
        // A request with a body is sent once: after its body went out, a failure is answered, not retried.
        var replayable = !HasBody(context.Request);
        ReplicaRoute[]? tried = null;
        for (var attempts = 1; ; attempts++)
        {
            var route = lease.Route!;
            // The last possible attempt waits the full timeout: with nowhere else to go, a slow answer beats none.
            var last = !replayable || attempts >= settings.MaxAttempts || attempts >= routing.Current.Replicas.Count;
            var next = await AttemptAsync(context, lease, last, replayable);
            if (next == AttemptNext.Settled)
            {
                return;
            }

            if (next == AttemptNext.GiveUp)
            {
                await ApiResults.WriteFailureAsync(context, StatusCodes.Status502BadGateway,
                    $"Replica {route.Hostname} failed the request for '{context.Request.Path}' after its body was sent; a request with a body is not retried");
                return;
            }

            tried ??= new ReplicaRoute[settings.MaxAttempts];
            tried[attempts - 1] = route;
            if (attempts >= settings.MaxAttempts || routing.Current.NextUntried(requestId, tried.AsSpan(0, attempts)) is not { } other)
            {
                await ApiResults.WriteFailureAsync(context, StatusCodes.Status502BadGateway,
                    $"No replica answered the request for '{context.Request.Path}' ({attempts} tried)");
                return;
            }

            route.Health.CountRetriedElsewhere();
            lease = picker.Acquire(other);
        }
    }

    /// <summary>Forwards to the lease's replica and records the outcome on its route, whatever happens.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptNext> AttemptAsync(HttpContext context, ReplicaLease lease, bool last, bool replayable)
    {
        var route = lease.Route!;
        var timeout = last ? health.AttemptTimeout : route.Health.AttemptTimeout;
        var transformer = last || !health.Options.RetryServerErrors ? ReplicaResponseTransformer.Instance : ReplicaResponseTransformer.RetryingServerErrors;
        var verdict = new AttemptVerdict(AttemptOutcome.Canceled, AttemptNext.Settled);
        var start = route.Health.Start();
        try
        {
            using (lease)
            {
                context.Items[ReplicaResponseTransformer.ReplicaItem] = route.Hostname;
                var adaptive = timeout < health.AttemptTimeout;
                if (replayable)
                {
                    var result = await upstream.SendAsync(context, route, timeout, holdBackServerErrors: transformer == ReplicaResponseTransformer.RetryingServerErrors);
                    verdict = AttemptVerdict.Of(context, result, adaptive);
                }
                else
                {
                    var error = await forwarder.SendAsync(context, route.Address.ToString(), client, attemptConfigs.For(timeout), transformer);
                    verdict = AttemptVerdict.Of(context, error, adaptive, replayable);
                }
            }
        }
        finally
        {
            Report(route, route.Health.Record(verdict.Outcome, start, lease.IsTrial));
        }

        if (verdict.Next != AttemptNext.Settled)
        {
            logger.LogInformation("Replica {Hostname} failed an attempt ({Outcome}); {Next}", route.Hostname, verdict.Outcome,
                verdict.Next == AttemptNext.TryNext ? "trying the next replica" : "not retried: the request's body was sent");
            context.Response.Clear();
            context.Features.Set<IForwarderErrorFeature>(null);
        }

        return verdict.Next;
    }

    private void Report(ReplicaRoute route, HealthTransition transition)
    {
        switch (transition)
        {
            case HealthTransition.Ejected:
                var cause = route.Health.EjectedFor ?? EjectionCause.NoAnswer;
                logger.LogWarning("Replica {Hostname} ejected from routing ({Cause}, ejection {Count}); its ids go to the next replica",
                    route.Hostname, cause, route.Health.Ejections);
                events.Ejected(route, cause);
                break;
            case HealthTransition.Readmitted:
                logger.LogInformation("Replica {Hostname} readmitted to routing: its trial request succeeded", route.Hostname);
                events.Readmitted(route);
                break;
        }
    }

    private static bool HasBody(HttpRequest request) => request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
}
