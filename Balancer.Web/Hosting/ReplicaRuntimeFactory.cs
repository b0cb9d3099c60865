using Balancer.Actors.Runtime;
using Balancer.Actors.Runtime.Docker;
using Balancer.Actors.Runtime.Process;

namespace Balancer.Web.Hosting;

/// <summary>Builds the runtime that <c>Balancer:Runtime</c> names.</summary>
internal static class ReplicaRuntimeFactory
{
    public static ServiceDescriptor Describe(BalancerSettings settings, IConfiguration configuration)
    {
        if (string.Equals(settings.Runtime, RuntimeKinds.Process, StringComparison.OrdinalIgnoreCase))
        {
            var options = new ProcessRuntimeOptions
            {
                LogDirectory = string.IsNullOrEmpty(settings.ReplicaLogDirectory) ? null : settings.ReplicaLogDirectory,
            };
            if (!string.IsNullOrEmpty(settings.ReplicaServerPath))
            {
                options = options with { ReplicaServerPath = settings.ReplicaServerPath };
            }

            return ServiceDescriptor.Singleton<IReplicaRuntime>(provider =>
                new ProcessRuntime(options, provider.GetRequiredService<ILogger<ProcessRuntime>>()));
        }

        if (string.Equals(settings.Runtime, RuntimeKinds.Docker, StringComparison.OrdinalIgnoreCase))
        {
            var options = DockerOptions(configuration);
            return ServiceDescriptor.Singleton<IReplicaRuntime>(provider =>
                new DockerReplicaRuntime(options, provider.GetRequiredService<ILogger<DockerReplicaRuntime>>()));
        }

        throw new InvalidOperationException(
            $"Balancer:Runtime '{settings.Runtime}' is not known; use {RuntimeKinds.Process} or {RuntimeKinds.Docker}.");
    }

    /// <summary>The <c>Balancer:Docker</c> section; its InstanceId is required, so a restarted balancer finds its own containers.</summary>
    public static DockerRuntimeOptions DockerOptions(IConfiguration configuration)
    {
        var section = configuration.GetSection($"{BalancerSettings.SectionName}:Docker");
        var instanceId = section["InstanceId"];
        if (string.IsNullOrWhiteSpace(instanceId))
        {
            throw new InvalidOperationException(
                "Balancer:Docker:InstanceId is required with the Docker runtime (e.g. Balancer__Docker__InstanceId=lb1).");
        }

        var options = new DockerRuntimeOptions { InstanceId = instanceId };
        section.Bind(options);
        options.Validate();
        return options;
    }

    /// <summary>Containers outlive the balancer (the next one adopts them); processes do not.</summary>
    public static bool KeepsReplicasOnShutdown(BalancerSettings settings) =>
        string.Equals(settings.Runtime, RuntimeKinds.Docker, StringComparison.OrdinalIgnoreCase);
}
