using Balancer.Actors.Runtime;
using Balancer.Actors.Runtime.Docker;
using Docker.DotNet.Models;

namespace Balancer.Tests.Docker;

/// <summary>Names the replica network would resolve to something other than the new container, and addresses that do not depend on names.</summary>
public sealed class DockerRuntimeNameTests : DockerTest
{
    [DockerFact]
    public async Task LocalhostTheBalancersNamesAndThisHostAreRefusedAndStartNothing()
    {
        var runtime = Scope.Runtime(options => options with { ReservedHostnames = [.. options.ReservedHostnames, "lb-front"] });

        foreach (var name in new[] { "localhost", "LocalHost", "balancer", "Balancer", "lb-front", Environment.MachineName })
        {
            var error = await Assert.ThrowsAsync<ReplicaNameConflictException>(() => runtime.StartAsync(name, CancellationToken.None));
            Assert.Contains("reserved", error.Message);
        }

        Assert.Empty(await OwnContainersAsync());
    }

    [DockerFact]
    public async Task ANameAForeignContainerOnTheNetworkAnswersToIsAConflictAndTheForeignOneSurvives()
    {
        var alias = Scope.Name("front");
        var hostname = Scope.Name("front-host");
        var foreignId = await StartForeignWithNamesAsync(Scope.Name("F1"), alias, hostname);
        var runtime = Scope.Runtime();

        foreach (var name in new[] { alias, alias.ToUpperInvariant(), hostname, foreignId[..12] })
        {
            var error = await Assert.ThrowsAsync<ReplicaNameConflictException>(() => runtime.StartAsync(name, CancellationToken.None));
            Assert.Contains(Scope.Name("F1"), error.Message);
        }

        Assert.True(await Scope.IsRunningAsync(foreignId));
        Assert.Empty(await OwnContainersAsync());
    }

    [DockerFact]
    public async Task TheAddressIsTheContainersOwnIpEvenWhenAForeignContainerLaterTakesItsNameAsAlias()
    {
        var runtime = Scope.Runtime();
        var replica = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);
        var ip = (await Scope.Client.Containers.InspectContainerAsync(replica.InstanceId)).NetworkSettings!.Networks![Scope.Network].IPAddress;
        await StartForeignWithNamesAsync(Scope.Name("F1"), alias: replica.Hostname, hostname: null);

        var listed = Assert.Single(await runtime.ListAsync(CancellationToken.None));

        Assert.Equal(new Uri($"http://{ip}:5000"), replica.Address);
        Assert.Equal(replica, listed);
        Assert.True(await AnswersHeartbeatAsync(listed.Address));
        using var home = await Http.GetAsync(new Uri(listed.Address, "/home"));
        Assert.Contains($"Hello from Server: {replica.Hostname}", await home.Content.ReadAsStringAsync());
    }

    [DockerFact]
    public async Task ARunningReplicaOffTheNetworkIsListedWithAnAddressThatCannotResolve()
    {
        var runtime = Scope.Runtime();
        var replica = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);
        await Scope.Client.Networks.DisconnectNetworkAsync(Scope.Network, new NetworkDisconnectParameters { Container = replica.InstanceId, Force = true });

        var listed = Assert.Single(await runtime.ListAsync(CancellationToken.None));

        // Listed, so the supervisor adopts it and its failing heartbeats get it stopped and replaced, rather than orphaned.
        Assert.Equal(replica.InstanceId, listed.InstanceId);
        Assert.EndsWith(".invalid", listed.Address.Host);
    }

    [DockerFact]
    public async Task TheExitWatcherKeepsOnlyLiveContainers()
    {
        var runtime = Scope.Runtime();
        var exits = new ExitRecorder();
        using var subscription = runtime.SubscribeToExits(exits.Record);
        var started = new List<RunningReplica>();
        for (var index = 1; index <= 4; index++)
        {
            started.Add(await runtime.StartAsync(Scope.Name($"S{index}"), CancellationToken.None));
        }

        foreach (var victim in started.Take(3))
        {
            await Scope.Client.Containers.KillContainerAsync(victim.InstanceId, new ContainerKillParameters { Signal = "SIGKILL" });
            Assert.Equal(victim.InstanceId, (await exits.NextAsync(TimeSpan.FromSeconds(15))).InstanceId);
        }

        Assert.Equal(1, runtime.WatchedContainers);
    }

    /// <summary>A user's container (no balancer labels) on the scope's network, answering to an alias and a host name of its own.</summary>
    private async Task<string> StartForeignWithNamesAsync(string name, string alias, string? hostname)
    {
        var created = await Scope.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Hostname = hostname ?? string.Empty,
            Image = DockerEngine.ReplicaImage,
            Env = [$"SERVER_ID={name}"],
            Labels = new Dictionary<string, string> { [DockerScope.TestLabel] = Scope.InstanceId },
            HostConfig = new HostConfig { NetworkMode = Scope.Network },
            NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings> { [Scope.Network] = new() { Aliases = [alias] } },
            },
        });
        await Scope.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }

    private async Task<IList<ContainerListResponse>> OwnContainersAsync() =>
        await Scope.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = DockerLabels.InstanceFilter(Scope.InstanceId) },
        });
}
