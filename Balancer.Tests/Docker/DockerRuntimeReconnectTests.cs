using Balancer.Actors.Runtime;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace Balancer.Tests.Docker;

public sealed class DockerRuntimeReconnectTests(ITestOutputHelper output) : DockerTest
{
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(20);

    [DockerFact]
    public async Task AContainerThatDiesWhileTheEventStreamIsDownIsReportedAfterReconnecting()
    {
        using var proxy = new UnixSocketProxy(DockerEngine.Endpoint.LocalPath);
        var runtime = Scope.Runtime(options => options with { Endpoint = proxy.Endpoint });
        var exits = new ExitRecorder();
        using var subscription = runtime.SubscribeToExits(exits.Record);
        var probe = await runtime.StartAsync(Scope.Name("S1"), CancellationToken.None);
        var victim = await runtime.StartAsync(Scope.Name("S2"), CancellationToken.None);
        // An exit heard through the proxy proves the stream is up before it is cut.
        await Scope.Client.Containers.KillContainerAsync(probe.InstanceId, new ContainerKillParameters());
        Assert.Equal(probe.InstanceId, (await exits.NextAsync(EventWait)).InstanceId);

        proxy.Cut();
        await Scope.Client.Containers.RemoveContainerAsync(victim.InstanceId, new ContainerRemoveParameters { Force = true });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        proxy.Open();
        var exited = await exits.NextAsync(EventWait);

        output.WriteLine($"measured: engine reachable again -> vanished replica reported {clock.Elapsed.TotalMilliseconds:0} ms ({exited.Reason})");
        Assert.Equal(new ReplicaExited(victim.Hostname, victim.InstanceId, exited.Reason), exited);
        Assert.Contains("event stream was down", exited.Reason);
        Assert.Equal(2, exits.All.Count);
    }
}
