using System.Net.Http;
using Balancer.Actors.Routing.Health;
using Balancer.Web.Forwarding.Upstream;
using Yarp.ReverseProxy.Forwarder;

namespace Balancer.Web.Forwarding;

/// <summary>What the forwarder does after an attempt.</summary>
internal enum AttemptNext
{
    /// <summary>The response is settled: sent (or being sent), or the client went away.</summary>
    Settled,

    /// <summary>Nothing reached the client: try the next replica.</summary>
    TryNext,

    /// <summary>The replica failed after the request's body was sent: answer 502 rather than send it twice.</summary>
    GiveUp,
}

/// <summary>How one attempt ended (for the replica's health) and what the request does next.</summary>
internal readonly record struct AttemptVerdict(AttemptOutcome Outcome, AttemptNext Next)
{
    /// <summary>Reads YARP's result of an attempt.</summary>
    /// <param name="adaptive">The attempt ran under an adaptive timeout (shorter than the configured one).</param>
    /// <param name="replayable">The request has no body, so sending it again is safe.</param>
    public static AttemptVerdict Of(HttpContext context, ForwarderError error, bool adaptive, bool replayable)
    {
        if (error == ForwarderError.None)
        {
            if (ReplicaResponseTransformer.TookSuppressedServerError(context))
            {
                return new(AttemptOutcome.ServerError, AttemptNext.TryNext);
            }

            return new(context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? AttemptOutcome.ServerError : AttemptOutcome.Answered,
                AttemptNext.Settled);
        }

        if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
            or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient)
        {
            return new(AttemptOutcome.Canceled, AttemptNext.Settled);
        }

        if (context.Response.HasStarted)
        {
            // Part of the answer is on its way to the client: it cannot be taken back.
            return new(AttemptOutcome.NoAnswer, AttemptNext.Settled);
        }

        var outcome = error == ForwarderError.RequestTimedOut && adaptive ? AttemptOutcome.Abandoned : AttemptOutcome.NoAnswer;
        return new(outcome, replayable || NothingSent(context, error) ? AttemptNext.TryNext : AttemptNext.GiveUp);
    }

    /// <summary>Reads the HTTP/1.1 path's result of an attempt (a request without a body, so always replayable).</summary>
    /// <param name="adaptive">The attempt ran under an adaptive timeout (shorter than the configured one).</param>
    public static AttemptVerdict Of(HttpContext context, UpstreamResult result, bool adaptive) => result switch
    {
        UpstreamResult.Answered => new(context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? AttemptOutcome.ServerError : AttemptOutcome.Answered,
            AttemptNext.Settled),
        UpstreamResult.ServerErrorHeldBack => new(AttemptOutcome.ServerError, AttemptNext.TryNext),
        UpstreamResult.TimedOut => new(adaptive ? AttemptOutcome.Abandoned : AttemptOutcome.NoAnswer, AttemptNext.TryNext),
        UpstreamResult.ConnectFailed or UpstreamResult.NoAnswer => new(AttemptOutcome.NoAnswer, AttemptNext.TryNext),
        UpstreamResult.ClientCanceled => new(AttemptOutcome.Canceled, AttemptNext.Settled),
        _ => new(AttemptOutcome.NoAnswer, AttemptNext.Settled),
    };

    // A connection that was never made carried no part of the request.
    private static bool NothingSent(HttpContext context, ForwarderError error) =>
        error == ForwarderError.Request &&
        context.Features.Get<IForwarderErrorFeature>()?.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };
}
