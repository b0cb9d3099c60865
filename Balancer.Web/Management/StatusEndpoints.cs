using System.Text.Json;
using System.Text.Json.Serialization;
using Balancer.Actors.Routing;
using Balancer.Actors.Supervision;
using Balancer.Web.Cluster;
using Balancer.Web.Metrics;
using Microsoft.Extensions.Options;

namespace Balancer.Web.Management;

/// <summary>GET /status (the page, an embedded resource: nothing is loaded from elsewhere) and GET /status.json (its data).</summary>
internal static class StatusEndpoints
{
    private const string PageResource = "Balancer.Web.Management.StatusPage.status.html";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(StatusEndpoints).Assembly.GetManifestResourceStream(PageResource)
            ?? throw new InvalidOperationException($"The status page ({PageResource}) is not embedded in the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static Task PageAsync(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.Body.WriteAsync(Page.Value, context.RequestAborted).AsTask();
    }

    public static Task JsonAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, Document(context.RequestServices), Json, context.RequestAborted);
    }

    public static StatusDocument Document(IServiceProvider services)
    {
        var history = services.GetRequiredService<StatusHistory>();
        var table = services.GetRequiredService<RoutingTablePublisher>().Current;
        var report = history.LatestReport;
        var rows = history.Rows(table, services.GetRequiredService<RingShares>().Of(table));
        var verdict = services.GetRequiredService<Readiness>().Judge(report,
            services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        return new StatusDocument(
            services.GetRequiredService<TimeProvider>().GetUtcNow(),
            verdict.Ready,
            verdict.Reason,
            Describe(services.GetRequiredService<IOptions<RoutingOptions>>().Value, table),
            report?.Desired ?? 0,
            new SpareCounts(ConfiguredSpares(services), report?.Replicas.Count(replica => replica.State == ReplicaState.Spare) ?? 0),
            rows,
            history.Chart(),
            services.GetRequiredService<ReplicaEventLog>().Recent(),
            services.GetService<ClusterView>()?.Read());
    }

    /// <summary>The warm spares' setting (issue 13) is read by its key, so the page shows it whichever options type binds it.</summary>
    private static int ConfiguredSpares(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>().GetValue<int?>("Balancer:Spares") ?? 0;

    private static RoutingDescription Describe(RoutingOptions routing, RoutingTable table)
    {
        var parameters = new Dictionary<string, string>();
        if (routing.IsMaglev)
        {
            parameters["tableSize"] = routing.MaglevTableSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            var ring = routing.ToRingOptions();
            parameters["slots"] = ring.Slots.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameters["virtualServersPerReplica"] = ring.VirtualServersPerReplica.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameters["hash"] = ring.Hashes.Name;
            parameters["probing"] = ring.Probing.ToString();
        }

        if (routing.BalanceFactor is { } factor)
        {
            parameters["balanceFactor"] = factor.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new RoutingDescription(routing.Strategy.ToLowerInvariant(), parameters, table.Fingerprint, table.Version);
    }
}
