using Balancer.Web.Hosting;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Balancer.Tests.Docker;

/// <summary>
/// Cluster mode's clean-up of exited replica containers: a node that starts (it may join a running cluster)
/// leaves them alone, since the scheduler on another node may be creating one right then; the scheduler's own
/// listing removes them before it adopts the running ones.
/// </summary>
public sealed class DockerClusterCleanupTests : DockerTest
{
    [DockerFact]
    public async Task AStartingNodeLeavesExitedContainersAndTheSchedulersListingRemovesThem()
    {
        var runtime = Scope.Runtime(options => options with { RemoveExitedBeforeListing = true });
        var running = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);
        var exited = await runtime.StartAsync(Scope.Name("S2"), CancellationToken.None);
        await Scope.Client.Containers.KillContainerAsync(exited.InstanceId, new ContainerKillParameters());
        await Scope.Client.Containers.WaitContainerAsync(exited.InstanceId);

        await new DockerStartupCleanup(runtime, NullLogger<DockerStartupCleanup>.Instance).StartAsync(CancellationToken.None);
        Assert.NotNull(await Scope.InspectOrNullAsync(exited.InstanceId));

        Assert.Equal([running], await runtime.ListAsync(CancellationToken.None));
        Assert.Null(await Scope.InspectOrNullAsync(exited.InstanceId));
        Assert.True(await Scope.IsRunningAsync(running.InstanceId));
    }

    [DockerFact]
    public async Task ASingleBalancersStartUpCleanUpStillRemovesThem()
    {
        var runtime = Scope.Runtime();
        var exited = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);
        await Scope.Client.Containers.KillContainerAsync(exited.InstanceId, new ContainerKillParameters());
        await Scope.Client.Containers.WaitContainerAsync(exited.InstanceId);

        await new DockerStartupCleanup(runtime, NullLogger<DockerStartupCleanup>.Instance).StartAsync(CancellationToken.None);

        Assert.Null(await Scope.InspectOrNullAsync(exited.InstanceId));
    }
}
