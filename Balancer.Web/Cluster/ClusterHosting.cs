using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Balancer.Actors.Cluster;
using Balancer.Actors.Ring;
using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using Balancer.Actors.Runtime;
using Balancer.Actors.Supervision;
using Microsoft.Extensions.Options;

namespace Balancer.Web.Cluster;

/// <summary>
/// Cluster mode on Akka.Cluster.Hosting: remoting on the configured address, the seed nodes, the split-brain
/// resolver (keep-majority), DistributedData's timings, every node's own replicated ring, and the supervisor
/// as a cluster singleton whose proxy answers for <see cref="ReplicaSupervisor"/> in the registry, so the
/// endpoints reach the one scheduler from any node without knowing where it runs.
/// </summary>
internal static class ClusterHosting
{
    /// <summary>The singleton's name: its manager is /user/replicas on every node, the supervisor its child.</summary>
    public const string SupervisorName = "replicas";

    /// <summary>Where the supervisor runs on the node that hosts the singleton.</summary>
    public const string LocalSupervisorPath = "/user/" + SupervisorName + "/" + SupervisorName;

    public static ClusterOptions ClusterOptionsFrom(IConfiguration configuration) =>
        configuration.GetSection("Balancer:Cluster").Get<ClusterOptions>() ?? new ClusterOptions();

    /// <summary>The replicated inventory part of the process runtime reads to adopt replicas of a node that is gone.</summary>
    public static IServiceCollection AddClusterServices(this IServiceCollection services, IConfiguration configuration)
    {
        if (ClusterOptionsFrom(configuration).Enabled)
        {
            services.AddSingleton<IReplicaInventory>(provider => new ReplicatedReplicaInventory(
                provider.GetRequiredService<ActorSystem>, SettingsFrom(Value<ClusterOptions>(provider)).ReadConsistency));
            services.AddSingleton<ClusterView>();
        }

        return services;
    }

    public static AkkaConfigurationBuilder WithBalancerCluster(this AkkaConfigurationBuilder akka, ClusterOptions options, IServiceProvider provider)
    {
        akka.WithRemoting(new RemoteOptions
            {
                HostName = options.Hostname,
                PublicHostName = options.AdvertisedHostname,
                Port = options.Port,
            })
            .WithClustering(new Akka.Cluster.Hosting.ClusterOptions
            {
                SeedNodes = options.SeedNodes.ToArray(),
                SplitBrainResolver = new KeepMajorityOption(),
            })
            .AddHocon(Timings(options), HoconAddMode.Prepend);
        foreach (var extra in provider.GetServices<ClusterHoconOverride>())
        {
            akka.AddHocon(extra.Hocon, HoconAddMode.Prepend);
        }

        return akka;
    }

    /// <summary>This node's ring: built from the replicated inputs, written through by the scheduler on its node.</summary>
    public static IActorRef StartReplicatedRing(ActorSystem system, IServiceProvider provider)
    {
        var routing = Value<RoutingOptions>(provider);
        return system.ActorOf(ReplicatedRingActor.Props(() => RoutingStrategies.Create(routing),
            provider.GetRequiredService<RoutingTablePublisher>(), provider.GetRequiredService<ReplicaHealthPolicy>(),
            SettingsFrom(Value<ClusterOptions>(provider))), "ring");
    }

    /// <summary>
    /// The supervisor as a singleton on the oldest node, with its local ring; the proxy is registered under
    /// <see cref="ReplicaSupervisor"/>. The data path's health news goes to the supervisor only on its own node:
    /// ejections are per node, and a route object never crosses nodes.
    /// </summary>
    public static AkkaConfigurationBuilder WithSupervisorSingleton(this AkkaConfigurationBuilder akka, IServiceProvider provider) =>
        akka.WithSingleton<ReplicaSupervisor>(SupervisorName,
                (_, registry, _) => ReplicaSupervisor.Props(
                    provider.GetRequiredService<IReplicaRuntime>(),
                    provider.GetRequiredService<IReplicaProbe>(),
                    registry.Get<RingActor>(),
                    provider.GetRequiredService<SupervisorOptions>() with { ReplicatedReplicaSet = true }),
                new ClusterSingletonOptions { TerminationMessage = HandOverScheduling.Instance },
                createProxyToo: true)
            .WithActors((system, _, _) =>
                provider.GetRequiredService<HealthEventsRelay>().Listen(new LocalSupervisorHealthEvents(system.ActorSelection(LocalSupervisorPath))));

    private static ReplicatedRingSettings SettingsFrom(ClusterOptions options) => ReplicatedRingSettings.For(options.WriteConsistency, options.WriteTimeout);

    /// <summary>The knobs of README's Cluster mode; everything else is Akka's default.</summary>
    private static string Timings(ClusterOptions options) => $"""
        akka.cluster.failure-detector.heartbeat-interval = {Millis(options.HeartbeatInterval)}
        akka.cluster.failure-detector.acceptable-heartbeat-pause = {Millis(options.AcceptableHeartbeatPause)}
        akka.cluster.split-brain-resolver.stable-after = {Millis(options.StableAfter)}
        akka.cluster.distributed-data.gossip-interval = {Millis(options.GossipInterval)}
        akka.cluster.distributed-data.notify-subscribers-interval = {Millis(options.NotifySubscribersInterval)}
        akka.cluster.singleton.hand-over-retry-interval = 500ms
        akka.cluster.singleton-proxy.singleton-identification-interval = 500ms
        """;

    private static string Millis(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    private static TOptions Value<TOptions>(IServiceProvider provider)
        where TOptions : class =>
        provider.GetRequiredService<IOptions<TOptions>>().Value;
}

/// <summary>
/// HOCON laid over the cluster settings, registered in DI by the in-process cluster tests only (the partition
/// test's throttling transport adapter); the product registers none.
/// </summary>
internal sealed record ClusterHoconOverride(string Hocon);
