using Balancer.Actors.Runtime;
using Docker.DotNet.Models;

namespace Balancer.Tests.Docker;

public sealed class DockerRuntimeStopTests : DockerTest
{
    [DockerFact]
    public async Task StopRemovesTheContainerAndCanBeRepeated()
    {
        var runtime = Scope.Runtime();
        var replica = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);
        var other = await runtime.StartAsync(Scope.Name("S2"), CancellationToken.None);

        await runtime.StopAsync(replica, CancellationToken.None);
        await runtime.StopAsync(replica, CancellationToken.None);
        await runtime.StopAsync(NeverStarted(Scope.Name("never-started")), CancellationToken.None);

        Assert.Null(await Scope.InspectOrNullAsync(replica.InstanceId));
        Assert.True(await Scope.IsRunningAsync(other.InstanceId));
        Assert.Equal([Scope.Name("S2")], (await runtime.ListAsync(CancellationToken.None)).Select(r => r.Hostname));
    }

    [DockerFact]
    public async Task AForeignContainerWithTheNameIsAConflictAndSurvivesAStop()
    {
        var name = Scope.Name("S1");
        var foreignId = await Scope.StartForeignContainerAsync(name);
        var runtime = Scope.Runtime();

        await Assert.ThrowsAsync<ReplicaNameConflictException>(() => runtime.StartAsync(name, CancellationToken.None));
        await runtime.StopAsync(new RunningReplica(name, new Uri("http://127.0.0.1:5000"), foreignId), CancellationToken.None);

        var foreign = await Scope.InspectOrNullAsync(name);
        Assert.NotNull(foreign);
        Assert.Equal(foreignId, foreign.ID);
        Assert.True(await Scope.IsRunningAsync(foreignId));
        Assert.Empty(await runtime.ListAsync(CancellationToken.None));
    }

    [DockerFact]
    public async Task AnotherInstancesContainerIsAConflictAndSurvivesItsStop()
    {
        var name = Scope.Name("S1");
        var owner = Scope.Runtime();
        var stranger = Scope.Runtime(options => options with { InstanceId = Scope.InstanceId + "-other" });
        var replica = await owner.StartAsync(name, CancellationToken.None);

        await Assert.ThrowsAsync<ReplicaNameConflictException>(() => stranger.StartAsync(name, CancellationToken.None));
        await stranger.StopAsync(replica, CancellationToken.None);

        Assert.True(await Scope.IsRunningAsync(replica.InstanceId));
        Assert.Empty(await stranger.ListAsync(CancellationToken.None));
    }

    [DockerFact]
    public async Task StopByAnIdPrefixOrByTheNameInsteadOfTheIdStopsNothing()
    {
        var runtime = Scope.Runtime();
        var replica = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);

        // The engine resolves names and id prefixes as well as ids; a stop is for the whole id only.
        await runtime.StopAsync(replica with { InstanceId = replica.InstanceId[..12] }, CancellationToken.None);
        await runtime.StopAsync(replica with { InstanceId = replica.Hostname }, CancellationToken.None);

        Assert.True(await Scope.IsRunningAsync(replica.InstanceId));
    }

    [DockerFact]
    public async Task CleaningUpADeadReplicaLeavesTheNewerContainerThatTookItsNameRunning()
    {
        var runtime = Scope.Runtime();
        var name = Scope.Name("S1");
        var dead = await runtime.StartAsync(name, CancellationToken.None);
        await Scope.Client.Containers.KillContainerAsync(dead.InstanceId, new ContainerKillParameters());
        await Scope.Client.Containers.RemoveContainerAsync(dead.InstanceId, new ContainerRemoveParameters { Force = true });
        var newer = await runtime.StartAsync(name, CancellationToken.None);

        // What the dead replica's actor does last, after its successor was already started under the name.
        await runtime.StopAsync(dead, CancellationToken.None);

        Assert.True(await Scope.IsRunningAsync(newer.InstanceId), "the stop of the dead replica hit its successor");
        Assert.Equal([newer], await runtime.ListAsync(CancellationToken.None));
    }

    [DockerFact]
    public async Task StopOfAnExitedReplicaRemovesItsContainer()
    {
        var runtime = Scope.Runtime();
        var replica = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);
        await Scope.Client.Containers.KillContainerAsync(replica.InstanceId, new ContainerKillParameters());
        await Scope.Client.Containers.WaitContainerAsync(replica.InstanceId);

        await runtime.StopAsync(replica, CancellationToken.None);

        Assert.Null(await Scope.InspectOrNullAsync(replica.InstanceId));
    }

    /// <summary>A replica record whose container never existed (a well-formed id nobody has).</summary>
    private static RunningReplica NeverStarted(string hostname) =>
        new(hostname, new Uri("http://127.0.0.1:5000"), new string('0', 64));
}
