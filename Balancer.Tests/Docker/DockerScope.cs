using Balancer.Actors.Runtime.Docker;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Balancer.Tests.Docker;

/// <summary>
/// One test's corner of the engine: its own balancer instance id, its own network, and a clean-up
/// that removes, by label, every container and network the test made (runtimes' and its own "foreign"
/// ones alike), however the test ended.
/// </summary>
internal sealed class DockerScope : IAsyncDisposable
{
    /// <summary>Put on what the test itself creates, so clean-up finds it without it looking like the runtime's.</summary>
    public const string TestLabel = "lb.test";

    private readonly List<DockerReplicaRuntime> runtimes = [];
    private readonly List<string> networks = [];
    private readonly HashSet<string> instanceIds = [];

    public DockerScope()
    {
        Client = DockerEngine.CreateClient();
        InstanceId = "t" + Guid.NewGuid().ToString("N")[..10];
        Network = $"lbtest-{InstanceId}";
    }

    public DockerClient Client { get; }

    public string InstanceId { get; }

    public string Network { get; }

    /// <summary>A container name no other test run can be using.</summary>
    public string Name(string replica) => $"{replica}-{InstanceId}";

    public async Task InitializeAsync() => await CreateNetworkAsync(Network);

    public async Task CreateNetworkAsync(string name)
    {
        networks.Add(name);
        await Client.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = name,
            Driver = "bridge",
            Labels = new Dictionary<string, string> { [TestLabel] = InstanceId },
        });
    }

    /// <summary>A network name for the runtime to create itself; clean-up removes it too.</summary>
    public string UncreatedNetwork()
    {
        var name = $"lbtest-new-{InstanceId}";
        networks.Add(name);
        return name;
    }

    /// <summary>Networks to remove by id (before those by name): duplicates of one name cannot be removed by it.</summary>
    public void RemoveNetworksById(IEnumerable<string> ids) => networks.InsertRange(0, ids);

    public DockerRuntimeOptions Options(Func<DockerRuntimeOptions, DockerRuntimeOptions>? change = null)
    {
        var options = new DockerRuntimeOptions
        {
            Endpoint = DockerEngine.Endpoint,
            Image = DockerEngine.ReplicaImage,
            Network = Network,
            InstanceId = InstanceId,
            StopGracePeriod = TimeSpan.FromSeconds(2),
        };
        return change is null ? options : change(options);
    }

    public DockerReplicaRuntime Runtime(Func<DockerRuntimeOptions, DockerRuntimeOptions>? change = null)
    {
        var options = Options(change);
        instanceIds.Add(options.InstanceId);
        var runtime = new DockerReplicaRuntime(options);
        runtimes.Add(runtime);
        return runtime;
    }

    /// <summary>A container of the user's own (no balancer labels) on this network.</summary>
    public Task<string> StartForeignContainerAsync(string name) => Client.StartForeignContainerAsync(name, Network, InstanceId);

    public Task<ContainerInspectResponse?> InspectOrNullAsync(string nameOrId) => Client.InspectOrNullAsync(nameOrId);

    public async Task<bool> IsRunningAsync(string nameOrId) =>
        (await InspectOrNullAsync(nameOrId))?.State?.Running == true;

    public async ValueTask DisposeAsync()
    {
        foreach (var runtime in runtimes)
        {
            await runtime.DisposeAsync();
        }

        var labels = instanceIds.Select(id => $"{DockerLabels.Instance}={id}").Append($"{TestLabel}={InstanceId}");
        foreach (var label in labels)
        {
            var containers = await Client.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
            });
            foreach (var container in containers)
            {
                await IgnoreMissingAsync(() => Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }));
            }
        }

        foreach (var network in networks)
        {
            await IgnoreMissingAsync(() => Client.Networks.DeleteNetworkAsync(network));
        }

        Client.Dispose();
    }

    private static async Task IgnoreMissingAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (DockerApiException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }
}
