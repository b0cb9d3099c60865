using System.Diagnostics;
using System.Text.Json;
using Balancer.Actors.Runtime;
using Balancer.Actors.Runtime.Docker;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace Balancer.Tests.Docker;

public sealed class DockerRuntimeStartTests(ITestOutputHelper output) : DockerTest
{
    [DockerFact]
    public async Task StartsNamedLabelledContainersOnTheNetworkThatServeTheirHome()
    {
        var runtime = Scope.Runtime();
        var names = new[] { Scope.Name("S1"), Scope.Name("S2"), Scope.Name("S3") };

        foreach (var name in names)
        {
            var clock = Stopwatch.StartNew();
            var replica = await runtime.StartAsync(name, CancellationToken.None);
            var launched = clock.Elapsed;
            Assert.True(await AnswersHeartbeatAsync(replica.Address), $"{name} did not answer /heartbeat at {replica.Address}");
            output.WriteLine($"measured: {name} StartAsync {launched.TotalMilliseconds:0} ms, first heartbeat after {clock.Elapsed.TotalMilliseconds:0} ms");

            Assert.Equal(name, replica.Hostname);
            var container = await Scope.Client.Containers.InspectContainerAsync(replica.InstanceId);
            Assert.Equal("/" + name, container.Name);
            Assert.True(await Scope.IsRunningAsync(replica.InstanceId));
            Assert.Equal(DockerLabels.ManagedByValue, container.Config!.Labels![DockerLabels.ManagedBy]);
            Assert.Equal(Scope.InstanceId, container.Config!.Labels![DockerLabels.Instance]);
            Assert.Equal(name, container.Config!.Labels![DockerLabels.Replica]);
            Assert.Contains($"SERVER_ID={name}", container.Config!.Env!);
            var endpoint = container.NetworkSettings!.Networks![Scope.Network];
            Assert.Contains(name, endpoint.Aliases);
            Assert.Equal(new Uri($"http://{endpoint.IPAddress}:5000"), replica.Address);

            using var home = await Http.GetAsync(new Uri(replica.Address, "/home"));
            using var body = JsonDocument.Parse(await home.Content.ReadAsStringAsync());
            Assert.Equal($"Hello from Server: {name}", body.RootElement.GetProperty("message").GetString());
        }

        var listed = await runtime.ListAsync(CancellationToken.None);
        Assert.Equal(names.Order(), listed.Select(r => r.Hostname).Order());
    }

    [DockerFact]
    public async Task CreatesAMissingNetworkWithTheManagedLabel()
    {
        var network = Scope.UncreatedNetwork();
        var runtime = Scope.Runtime(options => options with { Network = network });

        var replica = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);

        var created = await Scope.Client.Networks.InspectNetworkAsync(network);
        Assert.Equal(DockerLabels.ManagedByValue, created.Labels[DockerLabels.ManagedBy]);
        Assert.True(await AnswersHeartbeatAsync(replica.Address));
    }

    [DockerFact]
    public async Task ReplicasStartingTogetherCreateOneMissingNetwork()
    {
        var network = Scope.UncreatedNetwork();
        var runtime = Scope.Runtime(options => options with { Network = network });

        var replicas = await Task.WhenAll(new[] { "S1", "S2", "S3" }.Select(name => runtime.StartAsync(Scope.Name(name), CancellationToken.None)));

        var named = await Scope.Client.Networks.ListNetworksAsync(new NetworksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [network] = true } },
        });
        var exact = named.Where(found => found.Name == network).ToArray();
        // Duplicates would share the name, which the clean-up could then not remove them by.
        Scope.RemoveNetworksById(exact.Select(found => found.ID));

        Assert.Single(exact);
        foreach (var replica in replicas)
        {
            Assert.True(await AnswersHeartbeatAsync(replica.Address), $"{replica.Hostname} did not answer /heartbeat");
        }
    }

    [DockerFact]
    public async Task AMissingImageIsUnavailableAndLeavesNoContainer()
    {
        var runtime = Scope.Runtime(options => options with { Image = $"lb-no-such-image:{Scope.InstanceId}" });

        var error = await Assert.ThrowsAsync<RuntimeUnavailableException>(() => runtime.StartAsync(Scope.Name("S1"), CancellationToken.None));

        output.WriteLine(error.Message);
        Assert.Contains("lb-no-such-image", error.Message);
        Assert.Null(await Scope.InspectOrNullAsync(Scope.Name("S1")));
    }

    [DockerFact]
    public async Task ANameDockerRejectsIsTheCallersError()
    {
        var runtime = Scope.Runtime();

        await Assert.ThrowsAsync<ArgumentException>(() => runtime.StartAsync("bad name/with slash", CancellationToken.None));
    }
}
