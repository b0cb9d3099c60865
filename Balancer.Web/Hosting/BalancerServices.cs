using Akka;
using Akka.Actor;
using Akka.Hosting;
using Balancer.Actors.Ring;
using Balancer.Actors.Routing;
using Balancer.Actors.Runtime;
using Balancer.Actors.Runtime.Process;
using Balancer.Actors.Supervision;
using Balancer.Web.Api;
using Balancer.Web.Forwarding;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Balancer.Web.Hosting;

/// <summary>Everything the balancer runs on: settings, the routing map, the runtime and the actor system.</summary>
internal static class BalancerServices
{
    /// <summary>Beyond what any map could hold: a guard against a typo, not a routing limit.</summary>
    private const int MostReplicasEver = 1000;

    public static IServiceCollection AddBalancer(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(BalancerSettings.SectionName).Get<BalancerSettings>() ?? new BalancerSettings();
        var routingOptions = settings.Routing.ToOptions();
        var heartbeat = settings.Heartbeat.ToOptions();
        Validate(settings, routingOptions, heartbeat);

        services.AddSingleton(Options.Create(settings));
        var map = RoutingStrategies.Create(routingOptions);
        services.AddSingleton(new RoutingTablePublisher(RoutingTable.Empty(map.Current)));
        services.AddSingleton(RoutingStrategies.CreateRoutePicker(routingOptions));
        services.AddSingleton<HttpReplicaProbe>();
        services.AddSingleton(new AdminTimeouts(heartbeat.StartTimeout + TimeSpan.FromSeconds(30)));
        services.AddAdminToken(configuration);
        services.Add(ReplicaRuntimeFactory.Describe(settings, configuration));
        services.AddHttpForwarder();
        services.AddSingleton<ReplicaForwarder>();

        var supervisorOptions = new SupervisorOptions
        {
            Replicas = settings.Replicas,
            InitialNames = settings.ReplicaNames,
            MaxReplicas = MaxReplicas(routingOptions),
            DrainTimeout = settings.DrainTimeout,
            Heartbeat = heartbeat,
            StopReplicasOnShutdown = !ReplicaRuntimeFactory.KeepsReplicasOnShutdown(settings),
        };

        services.AddHostedService<DockerStartupCleanup>();
        services.AddAkka("balancer", (akka, provider) =>
        {
            akka.ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                })
                // Stopping replicas happens in this phase, so it gets the time that takes.
                .AddHocon("akka.coordinated-shutdown.phases.before-service-unbind.timeout = 30 s", HoconAddMode.Prepend)
                .WithActors((system, registry, _) =>
                {
                    var ring = system.ActorOf(RingActor.Props(map, provider.GetRequiredService<RoutingTablePublisher>()), "ring");
                    registry.Register<RingActor>(ring);
                    var supervisor = system.ActorOf(ReplicaSupervisor.Props(
                        provider.GetRequiredService<IReplicaRuntime>(),
                        provider.GetRequiredService<HttpReplicaProbe>(),
                        ring,
                        supervisorOptions), "replicas");
                    registry.Register<ReplicaSupervisor>(supervisor);

                    // Stop supervising first (no replacement during shutdown), then stop the replicas.
                    CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "stop-replicas", async () =>
                    {
                        await supervisor.Ask<ReplicasShutDown>(ShutDownReplicas.Instance, TimeSpan.FromSeconds(25));
                        return Done.Instance;
                    });
                });
        });

        return services;
    }

    private static void Validate(BalancerSettings settings, RoutingOptions routing, HeartbeatOptions heartbeat)
    {
        if (settings.Replicas < 0)
        {
            throw new OptionsValidationException(BalancerSettings.SectionName, typeof(BalancerSettings),
                [$"Balancer:Replicas must be 0 or more, got {settings.Replicas}."]);
        }

        try
        {
            routing.EnsureFits(settings.Replicas);
            heartbeat.Validate();
        }
        catch (ArgumentException exception)
        {
            throw new OptionsValidationException(BalancerSettings.SectionName, typeof(BalancerSettings), [exception.Message]);
        }

        foreach (var name in settings.ReplicaNames.Where(name => !ReplicaNames.IsValid(name)))
        {
            throw new OptionsValidationException(BalancerSettings.SectionName, typeof(BalancerSettings),
                [$"Balancer:ReplicaNames has '{name}', which is not a valid hostname."]);
        }
    }

    private static int MaxReplicas(RoutingOptions routing)
    {
        if (routing.IsMaglev)
        {
            return Math.Min(routing.MaglevTableSize, MostReplicasEver);
        }

        var ring = routing.ToRingOptions();
        return Math.Min(ring.Slots / ring.VirtualServersPerReplica, MostReplicasEver);
    }
}
