using Docker.DotNet;
using Docker.DotNet.Models;

namespace Balancer.Actors.Runtime.Docker;

/// <summary>Lists this balancer instance's containers, filtered by its labels on the engine side.</summary>
internal sealed class OwnContainers(DockerClient client, DockerCall call, DockerRuntimeOptions options)
{
    /// <summary>Running ones, as replicas the balancer can address.</summary>
    public async Task<IReadOnlyList<RunningReplica>> ListRunningAsync(CancellationToken cancellationToken)
    {
        var containers = await ListAsync(["running"], cancellationToken);
        // Oldest first: the supervisor takes the newest as the warm spares when it adopts more than N.
        return containers
            .OrderBy(container => container.Created)
            .Select(container => new RunningReplica(HostnameOf(container), AddressOf(container), container.ID))
            .ToList();
    }

    /// <summary>Ones that no longer run (exited, dead, or created and never started).</summary>
    public Task<IList<ContainerListResponse>> ListNotRunningAsync(CancellationToken cancellationToken) =>
        ListAsync(["exited", "dead", "created"], cancellationToken);

    private Task<IList<ContainerListResponse>> ListAsync(string[] states, CancellationToken cancellationToken)
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = DockerLabels.InstanceFilter(options.InstanceId),
            ["status"] = states.ToDictionary(state => state, _ => true),
        };
        return call.RunAsync(
            "list containers",
            token => client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filters }, token),
            cancellationToken);
    }

    public static string HostnameOf(ContainerListResponse container) =>
        container.Labels is not null && container.Labels.TryGetValue(DockerLabels.Replica, out var hostname)
            ? hostname
            : container.Names.FirstOrDefault()?.TrimStart('/') ?? container.ID;

    private Uri AddressOf(ContainerListResponse container) =>
        ReplicaAddress.For(options, ReplicaAddress.IpOnNetwork(container.NetworkSettings?.Networks, options.Network));
}
