using Balancer.Actors.Runtime;

namespace Balancer.Tests.Docker;

public sealed class DockerRuntimeStopTests : DockerTest
{
    [DockerFact]
    public async Task StopRemovesTheContainerAndCanBeRepeated()
    {
        var runtime = Scope.Runtime();
        var replica = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);
        var other = await runtime.StartAsync(Scope.Name("S2"), CancellationToken.None);

        await runtime.StopAsync(Scope.Name("S1"), CancellationToken.None);
        await runtime.StopAsync(Scope.Name("S1"), CancellationToken.None);
        await runtime.StopAsync(Scope.Name("never-started"), CancellationToken.None);

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
        await runtime.StopAsync(name, CancellationToken.None);

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
        await stranger.StopAsync(name, CancellationToken.None);
        await stranger.StopAsync(replica.InstanceId, CancellationToken.None);

        Assert.True(await Scope.IsRunningAsync(replica.InstanceId));
        Assert.Empty(await stranger.ListAsync(CancellationToken.None));
    }

    [DockerFact]
    public async Task StopByTheContainerIdInsteadOfTheNameStopsNothing()
    {
        var runtime = Scope.Runtime();
        var replica = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);

        // The engine resolves ids as well as names; a stop is for names only.
        await runtime.StopAsync(replica.InstanceId[..12], CancellationToken.None);

        Assert.True(await Scope.IsRunningAsync(replica.InstanceId));
    }
}
