using Balancer.Actors.Runtime.Docker;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Experiments.Live.Balancers;

/// <summary>
/// A balancer deployed elsewhere (e.g. by <c>make deploy</c>), driven through its public API. Its
/// replicas are containers carrying the project's labels; a kill goes through the Docker engine.
/// </summary>
internal sealed class DeployedBalancer(Uri address) : IBalancerTarget
{
    private readonly Lazy<DockerClient> docker = new(() =>
        new DockerClientBuilder().WithEndpoint(new Uri(Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock")).Build());

    public BalancerApi Api { get; } = new(address);

    public string Description => $"deployed at {address}";

    public async Task KillReplicaAsync(string hostname, CancellationToken cancellationToken)
    {
        // Both labels: only the project's own container for that replica, never anything else.
        var filter = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool>
            {
                [$"{DockerLabels.ManagedBy}={DockerLabels.ManagedByValue}"] = true,
                [$"{DockerLabels.Replica}={hostname}"] = true,
            },
        };
        var containers = await docker.Value.Containers.ListContainersAsync(new ContainersListParameters { Filters = filter }, cancellationToken);
        var container = containers.FirstOrDefault(item => item.State == "running")
            ?? throw new InvalidOperationException($"no running container labelled {DockerLabels.Replica}={hostname}");
        await docker.Value.Containers.KillContainerAsync(container.ID, new ContainerKillParameters { Signal = "KILL" }, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        Api.Dispose();
        if (docker.IsValueCreated)
        {
            docker.Value.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
