using Akka.Actor;
using Balancer.Web.Metrics;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Balancer.Web.Management;

/// <summary>The services behind the management endpoints: instruments, the exporter, the status history and readiness.</summary>
internal static class ManagementServices
{
    /// <summary>.NET's own runtime and process instruments (GC, thread pool, CPU time, working set), built into .NET 9 and later.</summary>
    private const string RuntimeMeter = "System.Runtime";

    public static IServiceCollection AddManagement(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ReplicaTallies>();
        services.AddSingleton<RequestMetrics>();
        services.AddSingleton<RingShares>();
        services.AddSingleton<ReplicaGauges>();
        services.AddSingleton<ReplicaEventLog>();
        services.AddSingleton<StatusHistory>();
        services.AddSingleton<Readiness>();
        services.AddHostedService<StatusSampler>();

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(BalancerMeter.Name, RuntimeMeter)
            .AddPrometheusExporter(ConfigureExporter));
        return services;
    }

    /// <summary>Starts copying the supervisor's events into the event log: called once the actor system runs.</summary>
    public static void StartStatusListeners(ActorSystem system, IServiceProvider provider) =>
        system.ActorOf(ReplicaEventsListener.Props(provider.GetRequiredService<ReplicaEventLog>()), "status-events");

    /// <summary>Creates the instruments read at scrape time (they exist only once constructed).</summary>
    public static void CreateInstruments(this IServiceProvider services)
    {
        services.GetRequiredService<RequestMetrics>();
        services.GetRequiredService<ReplicaGauges>();
    }

    private static void ConfigureExporter(PrometheusAspNetCoreOptions exporter)
    {
        // Scrapes are rare and tests read right after traffic: every scrape is fresh.
        exporter.ScrapeResponseCacheDurationMilliseconds = 0;
        // One meter per library already prefixes its names (lb_, dotnet_); scope labels on every series add nothing.
        exporter.ScopeInfoEnabled = false;
    }
}
