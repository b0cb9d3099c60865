using Docker.DotNet.Models;

namespace Balancer.Tests.Docker;

public sealed class DockerRuntimeAdoptionTests : DockerTest
{
    [DockerFact]
    public async Task ANewRuntimeWithTheSameInstanceIdListsTheSameRunningContainers()
    {
        var first = Scope.Runtime();
        var started = new[]
        {
            await first.StartAsync(Scope.Name("S1"), CancellationToken.None),
            await first.StartAsync(Scope.Name("S2"), CancellationToken.None),
            await first.StartAsync(Scope.Name("S3"), CancellationToken.None),
        };
        // A balancer that goes away leaves its replicas running.
        await first.DisposeAsync();

        var second = Scope.Runtime();
        var adopted = await second.ListAsync(CancellationToken.None);

        Assert.Equal(started.OrderBy(r => r.Hostname), adopted.OrderBy(r => r.Hostname));
        foreach (var replica in adopted)
        {
            Assert.True(await AnswersHeartbeatAsync(replica.Address), $"{replica.Hostname} does not answer at {replica.Address}");
        }
    }

    [DockerFact]
    public async Task ListingLeavesOutStoppedContainersAndOtherInstances()
    {
        var runtime = Scope.Runtime();
        var stranger = Scope.Runtime(options => options with { InstanceId = Scope.InstanceId + "-other" });
        var running = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);
        var dead = await runtime.StartAsync(Scope.Name("S2"), CancellationToken.None);
        await stranger.StartAsync(Scope.Name("F1"), CancellationToken.None);
        await Scope.StartForeignContainerAsync(Scope.Name("F2"));
        await Scope.Client.Containers.KillContainerAsync(dead.InstanceId, new ContainerKillParameters());
        await Scope.Client.Containers.WaitContainerAsync(dead.InstanceId);

        var listed = await runtime.ListAsync(CancellationToken.None);

        Assert.Equal([running], listed);
    }
}
