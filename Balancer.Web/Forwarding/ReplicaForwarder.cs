using System.Net;
using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using Balancer.Web.Api;
using Balancer.Web.Forwarding.Upstream;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Balancer.Web.Forwarding;

/// <summary>
/// Forwards <c>GET /&lt;path&gt;</c> to the replica the routing table picks, reading the table published
/// by the RingActor (no mailbox hop per request). A replica that does not answer (refused, reset,
/// timeout) costs the client nothing: the request goes to the next distinct replica clockwise.
/// With health tracking (<see cref="HealthOptions.Enabled"/>) every attempt's outcome is recorded on its
/// route, an attempt that may move on waits only its replica's adaptive timeout, and a 5xx is retried.
/// A request without a body (every GET a client sends the spec's replicas) goes over the purpose-built
/// HTTP/1.1 path (<see cref="UpstreamForwarder"/>); one with a body goes through YARP's forwarder.
/// </summary>
/// <remarks>
/// Hedge or abandon: abandon. Both paths stream an answer straight into the client's response, so two
/// concurrent attempts would need the answers buffered; giving up at an adaptive timeout costs tens of
/// milliseconds once and never doubles the load on a replica that is struggling already.
/// </remarks>
internal sealed partial class ReplicaForwarder : IDisposable
{
    private readonly IHttpForwarder forwarder;
    private readonly RoutingTablePublisher routing;
    private readonly IRoutePicker picker;
    private readonly ForwardingOptions settings;
    private readonly ILogger<ReplicaForwarder> logger;
    private readonly HttpMessageInvoker client;
    private readonly ForwarderRequestConfig requestConfig;
    private readonly ReplicaHealthPolicy health;
    private readonly IReplicaHealthEvents events;
    private readonly AttemptConfigs attemptConfigs = new();
    private readonly UpstreamPools pools;
    private readonly UpstreamForwarder upstream;

    public ReplicaForwarder(IHttpForwarder forwarder, RoutingTablePublisher routing, IRoutePicker picker,
        IOptions<ForwardingOptions> settings, ReplicaHealthPolicy health, HealthEventsRelay events, ILogger<ReplicaForwarder> logger)
    {
        this.forwarder = forwarder;
        this.routing = routing;
        this.picker = picker;
        this.settings = settings.Value;
        this.health = health;
        this.events = events;
        this.logger = logger;
        client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = this.settings.AttemptTimeout,
            // Replacements may reuse a port: pooled connections to a dead replica must not live long.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        });
        requestConfig = new ForwarderRequestConfig { ActivityTimeout = this.settings.AttemptTimeout };
        pools = new UpstreamPools(routing);
        upstream = new UpstreamForwarder(pools);
    }

    public async Task ForwardAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.Headers.Allow = HttpMethods.Get;
            await ApiResults.WriteFailureAsync(context, StatusCodes.Status405MethodNotAllowed,
                $"Method {context.Request.Method} is not allowed on '{context.Request.Path}'; replica paths take GET");
            return;
        }

        if (LoopGuard.CameBack(context.Request))
        {
            logger.LogWarning("A forwarded request came back to the balancer ({Path}); a replica address points at a balancer", context.Request.Path);
            await ApiResults.WriteFailureAsync(context, StatusCodes.Status508LoopDetected,
                "The request was forwarded by a balancer already: a replica's address leads back to a balancer");
            return;
        }

        var requestId = RequestIds.Read(context.Request);
        var table = routing.Current;
        if (table.Replicas.Count == 0)
        {
            logger.LogWarning("No replica in the routing table for {Path}", context.Request.Path);
            await ApiResults.WriteFailureAsync(context, StatusCodes.Status503ServiceUnavailable, "No replica is available to serve the request");
            return;
        }

        var first = picker.Acquire(table, requestId);
        if (health.Enabled)
        {
            await ForwardJudgedAsync(context, requestId, first);
            return;
        }

        var firstRoute = first.Route!;
        if (!await TryAsync(context, first))
        {
            await FailOverAsync(context, requestId, firstRoute);
        }
    }

    /// <summary>
    /// The rare path: the table may have changed since the first attempt (the failed replica removed, a
    /// replacement joined), so every further attempt walks the current one, clockwise, past the replicas tried.
    /// </summary>
    private async Task FailOverAsync(HttpContext context, long requestId, ReplicaRoute first)
    {
        var tried = new ReplicaRoute[Math.Max(settings.MaxAttempts, 1)];
        tried[0] = first;
        var attempts = 1;
        while (attempts < settings.MaxAttempts && routing.Current.NextUntried(requestId, tried.AsSpan(0, attempts)) is { } next)
        {
            tried[attempts++] = next;
            if (await TryAsync(context, picker.Acquire(next)))
            {
                return;
            }
        }

        await ApiResults.WriteFailureAsync(context, StatusCodes.Status502BadGateway,
            $"No replica answered the request for '{context.Request.Path}' ({attempts} tried)");
    }

    /// <summary>
    /// Forwards to the lease's replica, which counts the request in flight there until the attempt is over.
    /// True when the response is settled (sent, or the client went away); false to try another replica.
    /// </summary>
    private async Task<bool> TryAsync(HttpContext context, ReplicaLease lease)
    {
        object error;
        var route = lease.Route!;
        using (lease)
        {
            context.Items[ReplicaResponseTransformer.ReplicaItem] = route.Hostname;
            if (!HasBody(context.Request))
            {
                var result = await upstream.SendAsync(context, route, settings.AttemptTimeout, holdBackServerErrors: false);
                if (result is UpstreamResult.Answered or UpstreamResult.ClientCanceled or UpstreamResult.FailedAfterStart)
                {
                    return true;
                }

                error = result;
            }
            else
            {
                var yarpError = await forwarder.SendAsync(context, route.Address.ToString(), client, requestConfig, ReplicaResponseTransformer.Instance);
                if (yarpError == ForwarderError.None || yarpError == ForwarderError.RequestCanceled || context.Response.HasStarted)
                {
                    return true;
                }

                error = yarpError;
            }
        }

        logger.LogInformation("Replica {Hostname} did not answer ({Error}); trying the next replica", route.Hostname, error);
        context.Response.Clear();
        context.Features.Set<IForwarderErrorFeature>(null);
        return false;
    }

    public void Dispose()
    {
        pools.Dispose();
        client.Dispose();
    }
}
