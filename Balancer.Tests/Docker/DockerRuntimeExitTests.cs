using System.Diagnostics;
using Balancer.Actors.Runtime;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace Balancer.Tests.Docker;

public sealed class DockerRuntimeExitTests(ITestOutputHelper output) : DockerTest
{
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(15);

    [DockerFact]
    public async Task AKilledContainerIsReportedAsExited()
    {
        var runtime = Scope.Runtime();
        var exits = new ExitRecorder();
        using var subscription = runtime.SubscribeToExits(exits.Record);
        var replica = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);
        var survivor = await runtime.StartAsync(Scope.Name("S2"), CancellationToken.None);
        Assert.True(await AnswersHeartbeatAsync(replica.Address));

        var clock = Stopwatch.StartNew();
        await Scope.Client.Containers.KillContainerAsync(replica.InstanceId, new ContainerKillParameters { Signal = "SIGKILL" });
        var exited = await exits.NextAsync(EventWait);
        output.WriteLine($"measured: docker kill -> ReplicaExited {clock.Elapsed.TotalMilliseconds:0} ms");

        Assert.Equal(new ReplicaExited(replica.Hostname, replica.InstanceId, exited.Reason), exited);
        Assert.Contains("137", exited.Reason);
        Assert.DoesNotContain(exits.All, e => e.InstanceId == survivor.InstanceId);
    }

    [DockerFact]
    public async Task AnAskedForStopIsReportedOnceAsWell()
    {
        var runtime = Scope.Runtime();
        var exits = new ExitRecorder();
        using var subscription = runtime.SubscribeToExits(exits.Record);
        var replica = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);

        await runtime.StopAsync(replica, CancellationToken.None);
        var exited = await exits.NextAsync(EventWait);

        Assert.Equal(replica.InstanceId, exited.InstanceId);
        var next = await Task.WhenAny(exits.NextAsync(TimeSpan.FromSeconds(1)));
        Assert.IsType<TimeoutException>(next.Exception?.InnerException);
        Assert.Single(exits.All);
    }

    [DockerFact]
    public async Task ExitsOfAnotherInstanceAreNotReported()
    {
        var runtime = Scope.Runtime();
        var stranger = Scope.Runtime(options => options with { InstanceId = Scope.InstanceId + "-other" });
        var exits = new ExitRecorder();
        using var subscription = runtime.SubscribeToExits(exits.Record);
        var foreign = await stranger.StartAsync(Scope.Name("F1"), CancellationToken.None);
        var own = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);

        await Scope.Client.Containers.KillContainerAsync(foreign.InstanceId, new ContainerKillParameters());
        await Scope.Client.Containers.KillContainerAsync(own.InstanceId, new ContainerKillParameters());

        // Events arrive in order, so once the own kill is reported the foreign one would have been too.
        var exited = await exits.NextAsync(EventWait);
        Assert.Equal(own.InstanceId, exited.InstanceId);
        Assert.Single(exits.All);
    }

    [DockerFact]
    public async Task RemoveExitedRemovesOnlyThisInstancesStoppedContainers()
    {
        var runtime = Scope.Runtime();
        var dead = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);
        var alive = await runtime.StartAsync(Scope.Name("S2"), CancellationToken.None);
        var foreignId = await Scope.StartForeignContainerAsync(Scope.Name("F1"));
        await Scope.Client.Containers.KillContainerAsync(dead.InstanceId, new ContainerKillParameters());
        await Scope.Client.Containers.KillContainerAsync(foreignId, new ContainerKillParameters());
        await Scope.Client.Containers.WaitContainerAsync(dead.InstanceId);
        await Scope.Client.Containers.WaitContainerAsync(foreignId);

        var removed = await runtime.RemoveExitedAsync(CancellationToken.None);

        Assert.Equal([dead.Hostname], removed);
        Assert.Null(await Scope.InspectOrNullAsync(dead.InstanceId));
        Assert.True(await Scope.IsRunningAsync(alive.InstanceId));
        Assert.NotNull(await Scope.InspectOrNullAsync(foreignId));
    }
}
