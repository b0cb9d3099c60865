using System.Diagnostics;
using System.Text.Json;
using Balancer.Actors.Runtime.Docker;
using Balancer.Tests.Api;
using Balancer.Tests.Support;
using Docker.DotNet;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace Balancer.Tests.Docker.Deploy;

/// <summary>
/// `make deploy` end to end: the balancer container on its published port, managing replica containers
/// on its network, through a scale up and down, a foreign container in the way, a killed replica under
/// load, a restarted balancer, and `make down`. One deploy for all of it, since a deploy costs seconds.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class DeployEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    private DeployedStack? stack;

    private DeployedStack Stack => stack ?? throw new InvalidOperationException("The stack exists from InitializeAsync on.");

    public Task InitializeAsync()
    {
        // Created here, not in the constructor, so a skipped test never touches the engine.
        stack = new DeployedStack();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (stack is not null)
        {
            await stack.DisposeAsync();
        }
    }

    [DockerFact]
    public async Task DeployServesScalesSurvivesAKillAndARestartAndDownLeavesNothing()
    {
        await AssertBalancerImageIsBuiltAsync();
        var clock = Stopwatch.StartNew();
        var (exitCode, log) = await Stack.DeployAsync();
        output.WriteLine($"measured: deploy.sh (images built) -> {Stack.InitialReplicas.Count} replicas serving {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(exitCode == 0, log);

        await AssertInitialReplicasRunOnTheNetworkAsync();
        await AssertHomeIsServedThroughThePublishedPortAsync();
        var foreignId = await Stack.StartForeignContainerAsync(Stack.Name("F1"));
        await AssertAddAndRemoveTouchExactlyTheirContainersAsync(foreignId);
        await AssertAKilledReplicaIsReplacedWithoutAFailedRequestAsync();
        await AssertARestartedBalancerAdoptsItsReplicasAsync();

        // The foreign container is the test's: it goes first, so only the deploy is left for down.
        await Stack.Client.Containers.RemoveContainerAsync(foreignId, new ContainerRemoveParameters { Force = true });
        (exitCode, log) = await Stack.DownAsync();
        Assert.True(exitCode == 0, log);
        Assert.Empty(await Stack.ReplicaContainersAsync());
        Assert.Empty(await Stack.ProjectContainersAsync());
        Assert.False(await Stack.NetworkExistsAsync(), $"network {Stack.Network} outlived down");
    }

    private async Task AssertBalancerImageIsBuiltAsync()
    {
        try
        {
            await Stack.Client.Images.InspectImageAsync(DeployedStack.BalancerImage);
        }
        catch (DockerApiException exception)
        {
            Assert.Fail($"the image {DeployedStack.BalancerImage} is missing (run docker/build-images.sh): {exception.Message}");
        }
    }

    private async Task AssertInitialReplicasRunOnTheNetworkAsync()
    {
        var (n, replicas) = await Stack.Api.ListAsync();
        Assert.Equal(3, n);
        Assert.Equal(Stack.InitialReplicas.Order(), replicas.Order());
        foreach (var name in Stack.InitialReplicas)
        {
            var container = await Stack.Client.Containers.InspectContainerAsync(name);
            Assert.True(container.State!.Running, $"{name} is not running");
            Assert.Contains($"SERVER_ID={name}", container.Config!.Env!);
            Assert.Equal(Stack.InstanceId, container.Config!.Labels![DockerLabels.Instance]);
            Assert.Contains(name, container.NetworkSettings!.Networks![Stack.Network].Aliases);
        }

        Assert.Equal(3, (await Stack.ReplicaContainersAsync()).Count);
    }

    private async Task AssertHomeIsServedThroughThePublishedPortAsync()
    {
        using var response = await Stack.Api.Http.GetAsync("/home");
        Assert.Equal(200, (int)response.StatusCode);
        var replica = Assert.Single(response.Headers.GetValues("X-Replica"));
        Assert.Contains(replica, Stack.InitialReplicas);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal($"Hello from Server: {replica}", body.RootElement.GetProperty("message").GetString());
    }

    private async Task AssertAddAndRemoveTouchExactlyTheirContainersAsync(string foreignId)
    {
        var foreign = Stack.Name("F1");
        var named = Stack.Name("A1");
        var initialIds = await ContainerIdsByReplicaAsync();

        Assert.Equal(200, (await Stack.Api.AddAsync(2, named)).Status);
        var (n, replicas) = await Stack.Api.ListAsync();
        var added = replicas.Except(Stack.InitialReplicas).ToArray();
        Assert.Equal(5, n);
        Assert.Contains(named, added);
        Assert.Equal(2, added.Length);
        Assert.Equal(replicas.Order(), (await ContainerIdsByReplicaAsync()).Keys.Order());

        // Without the deploy's admin token: refused before anything starts.
        Assert.Equal(401, (await Stack.Api.SendAsync(HttpMethod.Post, "/add", $$"""{"n":1,"hostnames":["{{Stack.Name("T1")}}"]}""")).Status);
        Assert.Null(await Stack.InspectOrNullAsync(Stack.Name("T1")));
        // Names the network resolves to the balancer itself: refused, so no "replica" is the balancer.
        Assert.Equal(409, (await Stack.Api.AddAsync(1, "balancer")).Status);
        Assert.Equal(409, (await Stack.Api.AddAsync(1, "localhost")).Status);
        // A name a foreign container holds: refused, and the foreign container is left alone.
        Assert.Equal(409, (await Stack.Api.AddAsync(1, foreign)).Status);
        Assert.Equal(400, (await Stack.Api.RemoveAsync(1, foreign)).Status);
        Assert.Equal(5, (await Stack.Api.ListAsync()).N);

        Assert.Equal(200, (await Stack.Api.RemoveAsync(2, added)).Status);
        Assert.Equal(Stack.InitialReplicas.Order(), (await Stack.Api.ListAsync()).Replicas.Order());
        Assert.True(await Eventually.HoldsAsync(async () => (await Stack.ReplicaContainersAsync()).Count == 3, Settle),
            "the removed replicas' containers linger");
        Assert.Equal(initialIds, await ContainerIdsByReplicaAsync());
        Assert.Equal(foreignId, (await Stack.Client.Containers.InspectContainerAsync(foreign)).ID);
        Assert.True((await Stack.Client.Containers.InspectContainerAsync(foreign)).State!.Running, "the foreign container was stopped");
    }

    private async Task AssertAKilledReplicaIsReplacedWithoutAFailedRequestAsync()
    {
        var victim = Stack.InitialReplicas[1];
        var victimId = (await ContainerIdsByReplicaAsync())[victim];
        var load = new LoadLoop(id => Stack.Api.HomeAsync(id), FailoverTests.IdsOwnedBy(victim, 40, Stack.InitialReplicas));
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(load.ServedBy.GetValueOrDefault(victim) > 20), TimeSpan.FromSeconds(20)),
            "the ids should reach the victim before it dies");

        var killedAt = load.Elapsed;
        await Stack.Client.Containers.KillContainerAsync(victimId, new ContainerKillParameters { Signal = "SIGKILL" });
        string? replacement = null;
        var replaced = await Eventually.HoldsAsync(async () =>
        {
            var (n, replicas) = await Stack.Api.ListAsync();
            replacement = replicas.Except(Stack.InitialReplicas).SingleOrDefault();
            return n == 3 && !replicas.Contains(victim) && replacement is not null;
        }, Settle);
        // Keep sending until the replacement itself serves the ids (it takes over the victim's server id).
        var served = await Eventually.HoldsAsync(() => Task.FromResult(load.ServedBy.GetValueOrDefault(replacement ?? "") > 20), TimeSpan.FromSeconds(30));
        await load.StopAsync();

        var takeover = load.FirstServed.TryGetValue(replacement ?? "", out var first) ? first - killedAt : TimeSpan.Zero;
        output.WriteLine($"measured: docker kill -> replacement {replacement} serving through port {Stack.Port} {takeover.TotalMilliseconds:0} ms; " +
            $"{load.Completed} requests, {load.Failures.Count} failed; served by {string.Join(", ", load.ServedBy.Select(pair => $"{pair.Key}={pair.Value}"))}");
        Assert.True(replaced, "the killed replica was not replaced");
        Assert.True(served, "the replacement never served the victim's ids");
        Assert.True(load.Failures.Count == 0, string.Join("\n", load.Failures.Take(10)));
        Assert.True(await Eventually.HoldsAsync(async () => await Stack.InspectOrNullAsync(victimId) is null, Settle), "the killed container lingers");
        var containers = await ContainerIdsByReplicaAsync();
        Assert.Equal((await Stack.Api.ListAsync()).Replicas.Order(), containers.Keys.Order());
        Assert.True((await Stack.Client.Containers.InspectContainerAsync(replacement!)).State!.Running);
    }

    private async Task AssertARestartedBalancerAdoptsItsReplicasAsync()
    {
        var before = await ContainerIdsByReplicaAsync();
        var balancerId = await Stack.BalancerContainerIdAsync();

        var clock = Stopwatch.StartNew();
        await Stack.Client.Containers.RestartContainerAsync(balancerId, new ContainerRestartParameters { WaitBeforeKillSeconds = 30 });
        var restarted = clock.Elapsed;
        var adopted = await Eventually.HoldsAsync(async () =>
            (await Stack.Api.ListAsync()).Replicas.Order().SequenceEqual(before.Keys.Order()), Settle, TimeSpan.FromMilliseconds(100));
        output.WriteLine($"measured: docker restart of the balancer {restarted.TotalMilliseconds:0} ms; " +
            $"restart -> /rep lists the adopted replicas {clock.Elapsed.TotalMilliseconds:0} ms");

        Assert.True(adopted, "the restarted balancer did not list its replicas again");
        Assert.Equal(before, await ContainerIdsByReplicaAsync());
        Assert.All(await Stack.ReplicaContainersAsync(), container => Assert.Equal("running", container.State));
        Assert.Equal(balancerId, await Stack.BalancerContainerIdAsync());
    }

    /// <summary>The stack's replica containers (any state), by the replica name on their label.</summary>
    private async Task<SortedDictionary<string, string>> ContainerIdsByReplicaAsync() =>
        new((await Stack.ReplicaContainersAsync()).ToDictionary(container => container.Labels[DockerLabels.Replica], container => container.ID));
}
