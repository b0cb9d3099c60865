using System.Net;
using Balancer.Web.Api;
using Yarp.ReverseProxy.Forwarder;

namespace Balancer.Web.Forwarding;

/// <summary>
/// Passes the replica's response through, except a 404, which becomes the spec's 400 "endpoint does not
/// exist in server replicas". Adds <c>X-Replica</c> so clients can see who served them, and marks every
/// forwarded request with <see cref="LoopGuard.Header"/> so one that comes back is refused.
/// </summary>
internal sealed class ReplicaResponseTransformer : HttpTransformer
{
    public const string ReplicaHeader = "X-Replica";
    public const string ReplicaItem = "balancer.replica";

    public static ReplicaResponseTransformer Instance { get; } = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
        CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.TryAddWithoutValidation(LoopGuard.Header, LoopGuard.Mark);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        if (proxyResponse?.StatusCode == HttpStatusCode.NotFound)
        {
            await ApiResults.WriteFailureAsync(httpContext, StatusCodes.Status400BadRequest,
                $"'{httpContext.Request.Path}' endpoint does not exist in server replicas");
            return false;
        }

        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (httpContext.Items[ReplicaItem] is string hostname)
        {
            httpContext.Response.Headers[ReplicaHeader] = hostname;
        }

        return copyBody;
    }
}
