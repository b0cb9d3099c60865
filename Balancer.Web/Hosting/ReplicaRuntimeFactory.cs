using Balancer.Actors.Runtime;
using Balancer.Actors.Runtime.Docker;
using Balancer.Actors.Runtime.Process;
using Microsoft.Extensions.Options;

namespace Balancer.Web.Hosting;

/// <summary>Builds the runtime that <c>Balancer:Runtime</c> names, with that runtime's options.</summary>
internal static class ReplicaRuntimeFactory
{
    public static IReplicaRuntime Create(IServiceProvider provider)
    {
        // Validated at start-up: the runtime is one of the two.
        if (provider.GetRequiredService<IOptions<ReplicaRuntimeOptions>>().Value.IsDocker)
        {
            return new DockerReplicaRuntime(provider.GetRequiredService<IOptions<DockerRuntimeOptions>>().Value,
                provider.GetRequiredService<ILogger<DockerReplicaRuntime>>());
        }

        return new ProcessRuntime(provider.GetRequiredService<IOptions<ProcessRuntimeOptions>>().Value,
            provider.GetRequiredService<ILogger<ProcessRuntime>>());
    }
}
