using Docker.DotNet;
using Docker.DotNet.Models;
using Experiments.Live;
using Experiments.Live.Balancers;
using DockerLabels = Balancer.Actors.Runtime.Docker.DockerLabels;

namespace Experiments.Health.Targets;

/// <summary>
/// An embedded balancer with the Docker runtime: the balancer runs on this machine (as the tests run the
/// Docker runtime), its replicas are containers of the <c>lb-replica</c> image on a network of their own,
/// reached by their IPs on it. Everything carries an instance id and names made for this run, so it never
/// meets a user's deploy or another test's containers; disposal removes this instance's containers and
/// its network (a balancer with the Docker runtime leaves its replicas running when it stops).
/// </summary>
internal sealed class DockerCrashTarget : ICrashTarget
{
    private const string ReplicaImage = "lb-replica:latest";

    private readonly EmbeddedBalancer balancer;
    private readonly DockerClient docker;
    private readonly string instance;
    private readonly string network;

    private DockerCrashTarget(EmbeddedBalancer balancer, DockerClient docker, string instance, string network)
    {
        this.balancer = balancer;
        this.docker = docker;
        this.instance = instance;
        this.network = network;
    }

    public BalancerApi Api => balancer.Api;

    public string Runtime => "Docker";

    /// <summary>Why the Docker rows cannot run here, or null when an engine answers and the replica image exists.</summary>
    public static async Task<string?> UnavailableReasonAsync()
    {
        try
        {
            using var docker = CreateClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await docker.System.PingAsync(timeout.Token);
            try
            {
                await docker.Images.InspectImageAsync(ReplicaImage, timeout.Token);
            }
            catch (DockerApiException)
            {
                return $"the image {ReplicaImage} is missing (run docker/build-images.sh)";
            }

            return null;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return $"no Docker engine answers ({exception.GetType().Name}: {exception.Message})";
        }
    }

    public static async Task<DockerCrashTarget> StartAsync(int replicas, IReadOnlyList<string> settings, string label)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var instance = $"health-{suffix}";
        var network = $"lb-health-{suffix}";
        // Container names are the replicas' names: made unique so no other container has them.
        var names = Enumerable.Range(1, replicas).Select(index => $"h{suffix}-{index}").ToArray();
        var docker = CreateClient();
        EmbeddedBalancer balancer;
        try
        {
            // Created here, not by the balancer: its replicas start side by side, and each that finds no
            // network creates one, leaving several of the same name ("ambiguous" to every later start).
            await docker.Networks.CreateNetworkAsync(new NetworksCreateParameters
            {
                Name = network,
                Driver = "bridge",
                Labels = new Dictionary<string, string> { [DockerLabels.ManagedBy] = DockerLabels.ManagedByValue, [DockerLabels.Instance] = instance },
            });
            balancer = await ExperimentBalancer.StartAsync(replicas,
            [
                "--Balancer:Runtime=Docker",
                $"--Balancer:Docker:InstanceId={instance}",
                $"--Balancer:Docker:Network={network}",
                $"--Balancer:Docker:Image={ReplicaImage}",
                .. names.Select((name, index) => $"--Balancer:ReplicaNames:{index}={name}"),
                .. settings,
            ], $"{label}, Docker runtime", replicaProcesses: 0);
        }
        catch
        {
            await RemoveAsync(docker, instance, network);
            docker.Dispose();
            throw;
        }

        return new DockerCrashTarget(balancer, docker, instance, network);
    }

    public async Task KillAsync(string hostname)
    {
        var containers = await ListAsync(new Dictionary<string, bool> { [$"{DockerLabels.Replica}={hostname}"] = true });
        var container = containers.FirstOrDefault(item => item.State == "running")
            ?? throw new InvalidOperationException($"no running container of {instance} for replica {hostname}");
        await docker.Containers.KillContainerAsync(container.ID, new ContainerKillParameters { Signal = "KILL" });
    }

    public async Task<int> RunningReplicasAsync() => (await ListAsync([])).Count(container => container.State == "running");

    public async ValueTask DisposeAsync()
    {
        await balancer.DisposeAsync();
        await RemoveAsync(docker, instance, network);
        docker.Dispose();
    }

    private static DockerClient CreateClient() =>
        new DockerClientBuilder().WithEndpoint(new Uri(Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock")).Build();

    private Task<IList<ContainerListResponse>> ListAsync(Dictionary<string, bool> extraLabels) => ListAsync(docker, instance, extraLabels);

    /// <summary>This instance's containers only: both project labels, and the extra ones asked for.</summary>
    private static Task<IList<ContainerListResponse>> ListAsync(DockerClient docker, string instance, Dictionary<string, bool> extraLabels)
    {
        var labels = new Dictionary<string, bool>(extraLabels)
        {
            [$"{DockerLabels.ManagedBy}={DockerLabels.ManagedByValue}"] = true,
            [$"{DockerLabels.Instance}={instance}"] = true,
        };
        return docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels },
        });
    }

    private static async Task RemoveAsync(DockerClient docker, string instance, string network)
    {
        foreach (var container in await ListAsync(docker, instance, []))
        {
            await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }

        // By id: every network of this run's name (the name is unique to the run).
        var networks = await docker.Networks.ListNetworksAsync(new NetworksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [network] = true } },
        });
        foreach (var found in networks.Where(found => found.Name == network))
        {
            try
            {
                await docker.Networks.DeleteNetworkAsync(found.ID);
            }
            catch (DockerApiException)
            {
                // Still in use by a container being removed: it carries the project's labels for a later prune.
            }
        }
    }
}
