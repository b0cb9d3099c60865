using System.Diagnostics;
using Akka.Actor;
using Balancer.Actors.Runtime.Docker;
using Balancer.Actors.Supervision;
using Balancer.Tests.Support;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace Balancer.Tests.Docker;

/// <summary>A warm spare container with the supervisor on the host: promotion and the deaths that follow go through the engine's events.</summary>
public sealed class DockerSparesTests(ITestOutputHelper output) : DockerTest
{
    private string[] Names => [Scope.Name("S1"), Scope.Name("S2"), Scope.Name("S3")];

    [DockerFact]
    public async Task AKilledReplicaContainerIsReplacedByTheRunningSpareAndAKilledPromotedSpareByTheNextOne()
    {
        await using var balancer = new DockerSupervisorFixture(Scope, Names, spares: 1);
        var spare = await ReadySpareAsync(balancer);
        var spareContainer = (await balancer.Runtime.ListAsync(CancellationToken.None)).Single(replica => replica.Hostname == spare);
        var victim = (await balancer.Runtime.ListAsync(CancellationToken.None)).Single(replica => replica.Hostname == Names[1]);

        var promotion = await KillAndAwaitPromotionAsync(balancer, victim.InstanceId, victim.Hostname);

        Assert.Equal(spare, promotion);
        Assert.Equal(spareContainer.InstanceId, (await Scope.Client.Containers.InspectContainerAsync(spare)).ID);
        var next = await ReadySpareAsync(balancer, except: spare);

        // The promoted spare's own death is reported by the engine's events like any replica's.
        Assert.Equal(next, await KillAndAwaitPromotionAsync(balancer, spareContainer.InstanceId, spare));
        await ReadySpareAsync(balancer, except: next);
        var listed = await balancer.Harness.ListAsync();
        Assert.Equal([Names[0], Names[2], next], listed);
        Assert.Equal(listed.Order(), balancer.Harness.RingReplicas.Order());
        var containers = await OwnContainersAsync();
        Assert.Equal(4, containers.Count);
        Assert.All(containers, container => Assert.Equal("running", container.State));
    }

    private async Task<string> KillAndAwaitPromotionAsync(DockerSupervisorFixture balancer, string containerId, string hostname)
    {
        var before = balancer.Harness.RingReplicas.ToArray();
        var clock = Stopwatch.StartNew();
        await Scope.Client.Containers.KillContainerAsync(containerId, new ContainerKillParameters { Signal = "SIGKILL" });
        // The engine answers the kill once the container is dead: from then on it is the balancer's time.
        var killAnswered = clock.Elapsed;
        var replaced = await Eventually.HoldsAsync(
            () => Task.FromResult(balancer.Harness.RingReplicas.Count == 3 && !balancer.Harness.RingReplicas.Contains(hostname)),
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(2));
        output.WriteLine($"measured: docker kill of {hostname} -> the spare serving in the ring {clock.Elapsed.TotalMilliseconds:0} ms " +
            $"(the engine answered the kill after {killAnswered.TotalMilliseconds:0} ms)");
        Assert.True(replaced, $"{hostname} was not replaced; ring: {string.Join(", ", balancer.Harness.RingReplicas)}");
        return Assert.Single(balancer.Harness.RingReplicas.Except(before));
    }

    private static async Task<string> ReadySpareAsync(DockerSupervisorFixture balancer, string? except = null)
    {
        string? ready = null;
        var found = await Eventually.HoldsAsync(async () =>
        {
            var spares = await balancer.Harness.Supervisor.Ask<SpareSet>(GetSpares.Instance, TimeSpan.FromSeconds(5));
            ready = spares.Ready.Count == 1 && spares.Starting.Count == 0 && spares.Ready[0] != except ? spares.Ready[0] : null;
            return ready is not null && balancer.Harness.RingReplicas.Count == 3;
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));
        Assert.True(found, "no spare became ready");
        return ready!;
    }

    private async Task<IList<ContainerListResponse>> OwnContainersAsync() =>
        await Scope.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = DockerLabels.InstanceFilter(Scope.InstanceId) },
        });
}
