using System.Net;
using Balancer.Actors.Routing;
using Balancer.Web.Api;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Balancer.Web.Forwarding;

/// <summary>
/// Forwards <c>GET /&lt;path&gt;</c> to the replica the routing table picks, reading the table published
/// by the RingActor (no mailbox hop per request). A replica that does not answer (refused, reset,
/// timeout) costs the client nothing: the request goes to the next distinct replica clockwise.
/// </summary>
internal sealed class ReplicaForwarder : IDisposable
{
    private readonly IHttpForwarder forwarder;
    private readonly RoutingTablePublisher routing;
    private readonly ReplicaTraffic traffic;
    private readonly BoundedLoadRouter? boundedLoads;
    private readonly ForwardingOptions settings;
    private readonly ILogger<ReplicaForwarder> logger;
    private readonly HttpMessageInvoker client;
    private readonly ForwarderRequestConfig requestConfig;

    public ReplicaForwarder(IHttpForwarder forwarder, RoutingTablePublisher routing, ReplicaTraffic traffic,
        BoundedLoadRouterHolder boundedLoads, IOptions<ForwardingOptions> settings, ILogger<ReplicaForwarder> logger)
    {
        this.forwarder = forwarder;
        this.routing = routing;
        this.traffic = traffic;
        this.boundedLoads = boundedLoads.Router;
        this.settings = settings.Value;
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

        var requestId = RequestIds.Read(context.Request);
        var table = routing.Current;
        if (table.Routes.Replicas.Count == 0)
        {
            logger.LogWarning("No replica in the routing table for {Path}", context.Request.Path);
            await ApiResults.WriteFailureAsync(context, StatusCodes.Status503ServiceUnavailable, "No replica is available to serve the request");
            return;
        }

        string first;
        if (boundedLoads is not null)
        {
            using var lease = boundedLoads.Acquire(table.Routes, requestId);
            first = lease.Hostname!;
            if (await TryAsync(context, table, first))
            {
                return;
            }
        }
        else
        {
            first = table.Routes.Route(requestId)!;
            if (await TryAsync(context, table, first))
            {
                return;
            }
        }

        // Rare path: the table may have changed meanwhile (the failed replica removed); walk the current one.
        var attempts = 1;
        foreach (var next in routing.Current.Routes.FailoverOrder(requestId))
        {
            if (attempts >= settings.MaxAttempts)
            {
                break;
            }

            if (string.Equals(next, first, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            attempts++;
            if (await TryAsync(context, routing.Current, next))
            {
                return;
            }
        }

        await ApiResults.WriteFailureAsync(context, StatusCodes.Status502BadGateway,
            $"No replica answered the request for '{context.Request.Path}' ({attempts} tried)");
    }

    /// <summary>True when the response is settled (sent, or the client went away); false to try another replica.</summary>
    private async Task<bool> TryAsync(HttpContext context, RoutingTable table, string hostname)
    {
        if (table.AddressOf(hostname) is not { } address)
        {
            return false;
        }

        context.Items[ReplicaResponseTransformer.ReplicaItem] = hostname;
        traffic.Begin(hostname);
        ForwarderError error;
        try
        {
            error = await forwarder.SendAsync(context, address.ToString(), client, requestConfig, ReplicaResponseTransformer.Instance);
        }
        finally
        {
            traffic.End(hostname);
        }

        if (error == ForwarderError.None || error == ForwarderError.RequestCanceled || context.Response.HasStarted)
        {
            return true;
        }

        logger.LogInformation("Replica {Hostname} did not answer ({Error}); trying the next replica", hostname, error);
        context.Response.Clear();
        context.Features.Set<IForwarderErrorFeature>(null);
        return false;
    }

    public void Dispose() => client.Dispose();
}

/// <summary>The bounded-load router when the configuration asks for one (a balance factor), else null.</summary>
internal sealed record BoundedLoadRouterHolder(BoundedLoadRouter? Router);
