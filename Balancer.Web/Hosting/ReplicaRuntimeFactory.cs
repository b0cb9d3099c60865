using Balancer.Actors.Runtime;
using Balancer.Actors.Runtime.Docker;
using Balancer.Actors.Runtime.Process;
using Balancer.Web.Cluster;
using Microsoft.Extensions.Options;

namespace Balancer.Web.Hosting;

/// <summary>
/// Builds the runtime that <c>Balancer:Runtime</c> names, with that runtime's options. In cluster mode
/// (<c>Balancer:Cluster:SeedNodes</c>) replicas outlive the node that started them: processes carry the orphan
/// rule and are listed from the cluster's <see cref="IReplicaInventory"/>, and exited containers are removed by
/// the scheduler's own listing rather than by every node that starts.
/// </summary>
internal static class ReplicaRuntimeFactory
{
    public static IReplicaRuntime Create(IServiceProvider provider)
    {
        var cluster = IsCluster(provider);
        // Validated at start-up: the runtime is one of the two.
        if (provider.GetRequiredService<IOptions<ReplicaRuntimeOptions>>().Value.IsDocker)
        {
            var docker = provider.GetRequiredService<IOptions<DockerRuntimeOptions>>().Value;
            return new DockerReplicaRuntime(cluster ? docker with { RemoveExitedBeforeListing = true } : docker,
                provider.GetRequiredService<ILogger<DockerReplicaRuntime>>());
        }

        var process = provider.GetRequiredService<IOptions<ProcessRuntimeOptions>>().Value;
        if (cluster)
        {
            process = process with { OutliveBalancer = true };
        }

        var inventory = process.OutliveBalancer
            ? provider.GetService<IReplicaInventory>()
                ?? throw new InvalidOperationException("Balancer:Process:OutliveBalancer needs the cluster's replica inventory: it is cluster mode only (Balancer:Cluster:SeedNodes).")
            : null;
        return new ProcessRuntime(process, provider.GetRequiredService<ILogger<ProcessRuntime>>(), inventory);
    }

    /// <summary>
    /// Whether a node that shuts down leaves its replicas running: containers always do (the next balancer adopts
    /// them), and in cluster mode processes do too, for the scheduler on another node. No node can know it is the
    /// last one (another may be joining), so none stops the replicas: the orphan rule ends processes that no node
    /// heartbeats, and <c>make cluster</c> / <c>make down</c> remove them at once.
    /// </summary>
    public static bool ReplicasOutliveTheNode(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<ReplicaRuntimeOptions>>().Value.KeepsReplicasOnShutdown
        || IsCluster(provider)
        || provider.GetRequiredService<IOptions<ProcessRuntimeOptions>>().Value.OutliveBalancer;

    private static bool IsCluster(IServiceProvider provider) =>
        provider.GetService<IOptions<ClusterOptions>>()?.Value.Enabled == true;
}
