using System.Diagnostics;
using Balancer.Actors.Runtime.Docker;
using Balancer.Actors.Supervision;
using Balancer.Tests.Support;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace Balancer.Tests.Docker;

/// <summary>The supervisor on the host with the Docker runtime: replicas are real containers on the scope's network.</summary>
public sealed class DockerSupervisionTests(ITestOutputHelper output) : DockerTest
{
    private string[] Names => [Scope.Name("S1"), Scope.Name("S2"), Scope.Name("S3")];

    [DockerFact]
    public async Task AKilledReplicaContainerIsReplacedAndNIsRestored()
    {
        await using var balancer = new DockerSupervisorFixture(Scope, Names);
        Assert.True(await balancer.RingHoldsAsync(3), "the three replicas never served");
        var victim = (await balancer.Runtime.ListAsync(CancellationToken.None)).Single(replica => replica.Hostname == Names[1]);

        var clock = Stopwatch.StartNew();
        await Scope.Client.Containers.KillContainerAsync(victim.InstanceId, new ContainerKillParameters { Signal = "SIGKILL" });
        var restored = await Eventually.HoldsAsync(async () =>
        {
            var ring = balancer.Harness.RingReplicas;
            return ring.Count == 3 && !ring.Contains(victim.Hostname) && (await OwnContainersAsync()).Count == 3;
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));
        output.WriteLine($"measured: docker kill -> replacement container serving and in the ring {clock.Elapsed.TotalMilliseconds:0} ms");

        Assert.True(restored, $"N was not restored; ring: {string.Join(", ", balancer.Harness.RingReplicas)}");
        var listed = await balancer.Harness.ListAsync();
        var containers = await OwnContainersAsync();
        Assert.Equal(listed.Order(), containers.Select(container => container.Labels[DockerLabels.Replica]).Order());
        Assert.All(containers, container => Assert.Equal("running", container.State));
        Assert.DoesNotContain(containers, container => container.ID == victim.InstanceId);
        // The killed container is removed, not left exited: its name is free again.
        Assert.Null(await Scope.InspectOrNullAsync(victim.InstanceId));
    }

    [DockerFact]
    public async Task ANewActorSystemWithTheSameInstanceIdAdoptsTheRunningContainersAndStartsNone()
    {
        IReadOnlyList<string> before;
        await using (var first = new DockerSupervisorFixture(Scope, Names))
        {
            Assert.True(await first.RingHoldsAsync(3), "the three replicas never served");
            before = (await OwnContainersAsync()).Select(container => container.ID).Order().ToArray();
        }

        var clock = Stopwatch.StartNew();
        await using var second = new DockerSupervisorFixture(Scope, Names);
        Assert.True(await second.RingHoldsAsync(3), "the adopted replicas never joined the ring");
        output.WriteLine($"measured: new actor system -> 3 adopted replicas in the ring {clock.Elapsed.TotalMilliseconds:0} ms");

        Assert.Equal(Names.Order(), second.Harness.RingReplicas.Order());
        var after = await OwnContainersAsync(all: true);
        Assert.Equal(before, after.Select(container => container.ID).Order());
        Assert.All(after, container => Assert.Equal("running", container.State));
    }

    [DockerFact]
    public async Task AForeignContainerWithACollidingNameSurvivesAddAndRemove()
    {
        await using var balancer = new DockerSupervisorFixture(Scope, Names);
        Assert.True(await balancer.RingHoldsAsync(3), "the three replicas never served");
        var foreignName = Scope.Name("F1");
        var foreignId = await Scope.StartForeignContainerAsync(foreignName);

        var added = await balancer.Harness.AddAsync(1, foreignName);
        var removed = await balancer.Harness.RemoveAsync(1, foreignName);

        Assert.Equal(AdminErrorKind.NameConflict, Assert.IsType<AdminRejected>(added).Kind);
        Assert.Equal(AdminErrorKind.InvalidRequest, Assert.IsType<AdminRejected>(removed).Kind);
        Assert.True(await Scope.IsRunningAsync(foreignId), "the foreign container was touched");
        Assert.Equal(foreignId, (await Scope.Client.Containers.InspectContainerAsync(foreignName)).ID);
        Assert.Equal(Names.Order(), (await balancer.Harness.ListAsync()).Order());
        Assert.Equal(3, (await OwnContainersAsync(all: true)).Count);
    }

    /// <summary>The containers carrying the scope's instance label: running ones, or all of them.</summary>
    private async Task<IList<ContainerListResponse>> OwnContainersAsync(bool all = false) =>
        await Scope.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = all,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = DockerLabels.InstanceFilter(Scope.InstanceId) },
        });
}
