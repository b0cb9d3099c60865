using System.Net;
using Balancer.Web.Api;
using Yarp.ReverseProxy.Forwarder;

namespace Balancer.Web.Forwarding;

/// <summary>
/// Passes the replica's response through, except a 404, which becomes the spec's 400 "endpoint does not
/// exist in server replicas". Adds <c>X-Replica</c> so clients can see who served them, and marks every
/// forwarded request with <see cref="LoopGuard.Header"/> so one that comes back is refused.
/// <see cref="RetryingServerErrors"/> also holds back a 5xx (nothing reaches the client), so the request
/// can be retried on another replica.
/// </summary>
internal sealed class ReplicaResponseTransformer : HttpTransformer
{
    public const string ReplicaHeader = "X-Replica";
    public const string ReplicaItem = "balancer.replica";
    private const string SuppressedServerErrorItem = "balancer.suppressed-5xx";

    private static readonly object Suppressed = new();

    private readonly bool suppressServerErrors;

    private ReplicaResponseTransformer(bool suppressServerErrors) => this.suppressServerErrors = suppressServerErrors;

    /// <summary>Passes every answer through (the last attempt of a request, or health tracking off).</summary>
    public static ReplicaResponseTransformer Instance { get; } = new(suppressServerErrors: false);

    /// <summary>Holds back a 5xx so the forwarder can try the next replica (see <see cref="TookSuppressedServerError"/>).</summary>
    public static ReplicaResponseTransformer RetryingServerErrors { get; } = new(suppressServerErrors: true);

    /// <summary>Whether the last attempt's 5xx was held back; clears the mark.</summary>
    public static bool TookSuppressedServerError(HttpContext context) => context.Items.Remove(SuppressedServerErrorItem);

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
        CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.TryAddWithoutValidation(LoopGuard.Header, LoopGuard.Mark);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        if (suppressServerErrors && proxyResponse is not null && (int)proxyResponse.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            // YARP discards the body and sends nothing; the forwarder clears the status it copied.
            httpContext.Items[SuppressedServerErrorItem] = Suppressed;
            return false;
        }

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
