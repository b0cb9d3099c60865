using Balancer.Actors.Runtime;
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

        throw new InvalidOperationException(
            $"Balancer:Runtime '{settings.Runtime}' is not known; use {RuntimeKinds.Process} or {RuntimeKinds.Docker}.");
    }

    /// <summary>Containers outlive the balancer (the next one adopts them); processes do not.</summary>
    public static bool KeepsReplicasOnShutdown(BalancerSettings settings) =>
        string.Equals(settings.Runtime, RuntimeKinds.Docker, StringComparison.OrdinalIgnoreCase);
}
