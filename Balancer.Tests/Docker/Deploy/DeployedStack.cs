using System.Net;
using Balancer.Actors.Runtime.Docker;
using Balancer.Tests.Support;
using Docker.DotNet;
using Docker.DotNet.Models;
using Experiments.Live;

namespace Balancer.Tests.Docker.Deploy;

/// <summary>
/// One `make deploy` of the test's own: its own compose project, instance id, network, host port (never
/// 5000) and replica names, so it never meets a user's deploy. Disposing runs docker/down.sh and then
/// removes by label whatever is left, however the test ended. With <c>nodes: 3</c> it is `make deploy
/// NODES=3`: three balancer nodes as one cluster, each on free host ports of its own.
/// </summary>
internal sealed class DeployedStack : IAsyncDisposable
{
    /// <summary>The balancer image the deploy runs (docker/build-images.sh builds it under the same variable).</summary>
    public static readonly string BalancerImage =
        System.Environment.GetEnvironmentVariable("BALANCER_IMAGE") is { Length: > 0 } image ? image : "lb-balancer:latest";

    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];

    public DeployedStack(int nodes = 1)
    {
        Nodes = nodes;
        Project = $"lbe2e{suffix}";
        InstanceId = $"e2e{suffix}";
        Network = $"lbe2e-{suffix}";
        NodePorts = Enumerable.Range(0, nodes).Select(_ => LoopbackPorts.Free()).ToArray();
        ManagementPorts = Enumerable.Range(0, nodes).Select(_ => LoopbackPorts.Free()).ToArray();
        Port = NodePorts[0];
        ManagementPort = ManagementPorts[0];
        InitialReplicas = [Name("S1"), Name("S2"), Name("S3")];
        AdminToken = Guid.NewGuid().ToString("N");
        Apis = NodePorts.Select(port => new BalancerApi(new Uri($"http://127.0.0.1:{port}"), AdminToken)).ToArray();
        Api = Apis[0];
    }

    /// <summary>1, or 3 for the cluster deploy (LB_NODES).</summary>
    public int Nodes { get; }

    /// <summary>Each node's published HTTP port, node 1 first.</summary>
    public IReadOnlyList<int> NodePorts { get; }

    /// <summary>Each node's published management port (127.0.0.1 only), node 1 first.</summary>
    public IReadOnlyList<int> ManagementPorts { get; }

    /// <summary>Each node's API, node 1 first.</summary>
    public IReadOnlyList<BalancerApi> Apis { get; }

    public DockerClient Client { get; } = DockerEngine.CreateClient();

    public string Project { get; }

    public string InstanceId { get; }

    public string Network { get; }

    public int Port { get; }

    /// <summary>The host port of the management pages: not 8404, which a balancer of `make run` may hold.</summary>
    public int ManagementPort { get; }

    public IReadOnlyList<string> InitialReplicas { get; }

    /// <summary>The deploy's LB_ADMIN_TOKEN: /add and /rm need it as a bearer token.</summary>
    public string AdminToken { get; }

    public BalancerApi Api { get; }

    /// <summary>A container name only this stack uses.</summary>
    public string Name(string replica) => $"{replica}-{suffix}";

    public Task<(int ExitCode, string Output)> DeployAsync() => DeployScripts.RunAsync("deploy.sh", Environment());

    public Task<(int ExitCode, string Output)> DownAsync() => DeployScripts.RunAsync("down.sh", Environment());

    /// <summary>The replica containers carrying this stack's instance label, running or not.</summary>
    public Task<IList<ContainerListResponse>> ReplicaContainersAsync() => ListAsync(DockerLabels.InstanceFilter(InstanceId));

    /// <summary>Every container of the compose project (the balancer).</summary>
    public Task<IList<ContainerListResponse>> ProjectContainersAsync() =>
        ListAsync(new Dictionary<string, bool> { [$"com.docker.compose.project={Project}"] = true });

    public async Task<string> BalancerContainerIdAsync() => (await ProjectContainersAsync()).Single().ID;

    /// <summary>A container of the user's own (no balancer labels) on this network.</summary>
    public Task<string> StartForeignContainerAsync(string name) => Client.StartForeignContainerAsync(name, Network, InstanceId);

    public Task<ContainerInspectResponse?> InspectOrNullAsync(string nameOrId) => Client.InspectOrNullAsync(nameOrId);

    public async Task<bool> NetworkExistsAsync()
    {
        try
        {
            await Client.Networks.InspectNetworkAsync(Network);
            return true;
        }
        catch (DockerApiException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The test's own containers first: a network with a container on it cannot be removed.
        foreach (var container in await ListAsync(new Dictionary<string, bool> { [$"{DockerScope.TestLabel}={InstanceId}"] = true }))
        {
            await RemoveAsync(container.ID);
        }

        await DownAsync();
        foreach (var container in (await ReplicaContainersAsync()).Concat(await ProjectContainersAsync()))
        {
            await RemoveAsync(container.ID);
        }

        if (await NetworkExistsAsync())
        {
            await Client.Networks.DeleteNetworkAsync(Network);
        }

        foreach (var api in Apis)
        {
            api.Dispose();
        }

        Client.Dispose();
    }

    private Dictionary<string, string> Environment()
    {
        var environment = SingleNodeEnvironment();
        environment["LB_NODES"] = Nodes.ToString();
        for (var node = 1; node <= Nodes && Nodes > 1; node++)
        {
            environment[$"LB_PORT_{node}"] = NodePorts[node - 1].ToString();
            environment[$"LB_MANAGEMENT_PORT_{node}"] = ManagementPorts[node - 1].ToString();
        }

        return environment;
    }

    private Dictionary<string, string> SingleNodeEnvironment() => new()
    {
        ["LB_PROJECT"] = Project,
        ["LB_INSTANCE"] = InstanceId,
        ["LB_NETWORK"] = Network,
        ["LB_PORT"] = Port.ToString(),
        ["LB_MANAGEMENT_PORT"] = ManagementPort.ToString(),
        ["LB_REPLICA_NAME_1"] = InitialReplicas[0],
        ["LB_REPLICA_NAME_2"] = InitialReplicas[1],
        ["LB_REPLICA_NAME_3"] = InitialReplicas[2],
        ["LB_REPLICA_IMAGE"] = DockerEngine.ReplicaImage,
        ["LB_BALANCER_IMAGE"] = BalancerImage,
        ["LB_ADMIN_TOKEN"] = AdminToken,
        // CI built the images before the tests; rebuilding them here would publish over a running build.
        ["LB_SKIP_BUILD"] = "1",
    };

    private async Task<IList<ContainerListResponse>> ListAsync(IDictionary<string, bool> labels) =>
        await Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels },
        });

    private async Task RemoveAsync(string id)
    {
        try
        {
            await Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
        }
        catch (DockerApiException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }
}
