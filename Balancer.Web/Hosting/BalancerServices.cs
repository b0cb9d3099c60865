using Akka;
using Akka.Actor;
using Akka.Hosting;
using Balancer.Actors.Ring;
using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using Balancer.Actors.Runtime;
using Balancer.Actors.Supervision;
using Balancer.Web.Api;
using Balancer.Web.Cluster;
using Balancer.Web.Forwarding;
using Balancer.Web.Logging;
using Balancer.Web.Management;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Balancer.Web.Hosting;

/// <summary>Everything the balancer runs on: its options, the routing map, the runtime and the actor system.</summary>
internal static class BalancerServices
{
    /// <summary>Beyond what any map could hold: a guard against a typo, not a routing limit.</summary>
    private const int MostReplicasEver = 1000;

    public static IServiceCollection AddBalancer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBalancerOptions(configuration);

        // The RingActor is the map's only writer; the publisher's first (empty) table comes from the same map.
        services.AddSingleton(provider => RoutingStrategies.Create(Value<RoutingOptions>(provider)));
        services.AddSingleton(provider => new RoutingTablePublisher(RoutingTable.Empty(provider.GetRequiredService<IReplicaMap>().Current)));
        services.AddSingleton(provider => RoutingStrategies.CreateRoutePicker(Value<RoutingOptions>(provider)));
        // Passive health: every route of the ring is judged by one policy (one ejection budget); ejections go to the relay.
        services.AddSingleton(provider => new ReplicaHealthPolicy(Value<HealthOptions>(provider), Value<ForwardingOptions>(provider).AttemptTimeout));
        // The data path reports ejections to the relay; the supervisor listens once it runs.
        services.AddSingleton<HealthEventsRelay>();
        services.AddSingleton<HttpReplicaProbe>();
        // What heartbeats a replica: HTTP here; the cluster's in-process tests put a fake in its place.
        services.AddSingleton<IReplicaProbe>(provider => provider.GetRequiredService<HttpReplicaProbe>());
        // The supervisor answers every change within its deadline; the endpoint waits a little longer, so the
        // answer is the supervisor's (what happened), never a bare timeout.
        services.AddSingleton(provider => new AdminTimeouts(provider.GetRequiredService<SupervisorOptions>().ChangeDeadline + TimeSpan.FromSeconds(3)));
        services.AddAdminToken(configuration);
        services.AddSingleton(ReplicaRuntimeFactory.Create);
        services.AddHttpForwarder();
        services.AddSingleton<ReplicaForwarder>();
        services.AddRateLimitedRequestLogs();
        services.AddManagement();
        services.AddSingleton(SupervisorOptionsFrom);

        services.AddHostedService<DockerStartupCleanup>();
        services.AddClusterServices(configuration);
        var cluster = ClusterHosting.ClusterOptionsFrom(configuration);
        services.AddAkka(ClusterOptions.SystemName, (akka, provider) =>
        {
            if (cluster.Enabled)
            {
                akka.WithBalancerCluster(cluster, provider);
            }

            akka.ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                })
                // Stopping replicas happens in this phase, so it gets the time that takes.
                .AddHocon("akka.coordinated-shutdown.phases.before-service-unbind.timeout = 30 s", HoconAddMode.Prepend)
                .AddHocon(LoggingServices.AkkaHocon, HoconAddMode.Prepend)
                .AddSetup(LoggingServices.AkkaLogFilter())
                .WithActors((system, registry, _) =>
                {
                    // In a cluster every node builds its own table from the replicated inputs; the scheduler runs once, as a singleton.
                    var ring = cluster.Enabled
                        ? ClusterHosting.StartReplicatedRing(system, provider)
                        : system.ActorOf(RingActor.Props(provider.GetRequiredService<IReplicaMap>(),
                            provider.GetRequiredService<RoutingTablePublisher>(), provider.GetRequiredService<ReplicaHealthPolicy>()), "ring");
                    registry.Register<RingActor>(ring);
                    ManagementServices.StartStatusListeners(system, provider);
                    if (cluster.Enabled)
                    {
                        return;
                    }

                    var supervisor = system.ActorOf(ReplicaSupervisor.Props(
                        provider.GetRequiredService<IReplicaRuntime>(),
                        provider.GetRequiredService<IReplicaProbe>(),
                        ring,
                        provider.GetRequiredService<SupervisorOptions>()), "replicas");
                    registry.Register<ReplicaSupervisor>(supervisor);
                    provider.GetRequiredService<HealthEventsRelay>().Listen(new SupervisorHealthEvents(supervisor));

                    // Stop supervising first (no replacement during shutdown), then stop the replicas.
                    CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "stop-replicas", async () =>
                    {
                        await supervisor.Ask<ReplicasShutDown>(ShutDownReplicas.Instance, TimeSpan.FromSeconds(25));
                        return Done.Instance;
                    });
                });
            if (cluster.Enabled)
            {
                // No stop-replicas task here: replicas outlive a node, and the next scheduler adopts them.
                akka.WithSupervisorSingleton(provider);
            }
        });

        return services;
    }

    private static SupervisorOptions SupervisorOptionsFrom(IServiceProvider provider) => new()
    {
        ReplicaSet = Value<ReplicaSetOptions>(provider),
        Heartbeat = Value<HeartbeatOptions>(provider),
        Backoff = Value<BackoffPolicy>(provider),
        MaxReplicas = Math.Min(Value<RoutingOptions>(provider).ReplicaCapacity(), MostReplicasEver),
        StopReplicasOnShutdown = !ReplicaRuntimeFactory.ReplicasOutliveTheNode(provider),
    };

    private static TOptions Value<TOptions>(IServiceProvider provider)
        where TOptions : class =>
        provider.GetRequiredService<IOptions<TOptions>>().Value;
}
