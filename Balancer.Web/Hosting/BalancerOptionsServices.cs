using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using Balancer.Actors.Runtime.Docker;
using Balancer.Actors.Runtime.Process;
using Balancer.Actors.Supervision;
using Balancer.Web.Cluster;
using Balancer.Web.Forwarding;
using Microsoft.Extensions.Options;

namespace Balancer.Web.Hosting;

/// <summary>
/// Binds one options type per concern from its configuration section (appsettings.json, environment
/// variables such as <c>Balancer__Replicas=5</c>, command-line arguments such as
/// <c>--Balancer:Replicas=5</c>) and validates them all at start-up, so a configuration that cannot
/// work stops the balancer with a message that names the setting. The defaults are the types' own.
/// </summary>
internal static class BalancerOptionsServices
{
    public const string BalancerSection = "Balancer";

    public static IServiceCollection AddBalancerOptions(this IServiceCollection services, IConfiguration configuration)
    {
        var balancer = configuration.GetSection(BalancerSection);

        // Replicas, ReplicaNames, DrainTimeout.
        services.AddOptions<ReplicaSetOptions>().Bind(balancer).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReplicaSetOptions>, ReplicaSetOptionsValidator>();

        services.AddOptions<RoutingOptions>().Bind(balancer.GetSection("Routing")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RoutingOptions>>(new ArgumentCheckValidator<RoutingOptions>(options => options.Validate()));

        services.AddOptions<HeartbeatOptions>().Bind(balancer.GetSection("Heartbeat")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HeartbeatOptions>>(new ArgumentCheckValidator<HeartbeatOptions>(options => options.Validate()));

        services.AddOptions<BackoffPolicy>().Bind(balancer.GetSection("Backoff")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BackoffPolicy>>(new ArgumentCheckValidator<BackoffPolicy>(options => options.Validate()));

        services.AddOptions<ForwardingOptions>().Bind(balancer.GetSection("Forwarding")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardingOptions>, ForwardingOptionsValidator>();

        services.AddOptions<HealthOptions>().Bind(balancer.GetSection("Health")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HealthOptions>>(new ArgumentCheckValidator<HealthOptions>(options => options.Validate()));

        // Runtime; then each runtime's own: ReplicaServerPath and ReplicaLogDirectory, and the Docker section.
        services.AddOptions<ReplicaRuntimeOptions>().Bind(balancer).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReplicaRuntimeOptions>, ReplicaRuntimeOptionsValidator>();
        // ReplicaServerPath, ReplicaLogDirectory from Balancer; the cluster-mode keys from Balancer:Process.
        services.AddOptions<ProcessRuntimeOptions>().Bind(balancer).Bind(balancer.GetSection("Process")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProcessRuntimeOptions>>(new ArgumentCheckValidator<ProcessRuntimeOptions>(options => options.Validate()));
        services.AddOptions<DockerRuntimeOptions>().Bind(balancer.GetSection("Docker")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DockerRuntimeOptions>, DockerRuntimeOptionsValidator>();

        // Cluster mode: on with seed nodes, else the single node of before.
        services.AddOptions<ClusterOptions>().Bind(balancer.GetSection("Cluster")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterOptions>>(new ArgumentCheckValidator<ClusterOptions>(options => options.Validate()));

        return services;
    }
}
