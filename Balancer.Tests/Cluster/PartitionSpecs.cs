using Akka.Actor;
using Akka.Cluster;
using Balancer.Actors.Supervision;
using Balancer.Tests.Supervision;
using Balancer.Tests.Support;

namespace Balancer.Tests.Cluster;

/// <summary>
/// The split-brain resolver driven in-process: the scheduler's node is cut off from the two others (Akka.Remote's
/// throttler drops everything between them). Keep-majority downs the minority, the node that hosted the
/// scheduler; the majority's new scheduler takes over the running replicas; there is never more than one
/// scheduler at a time.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PartitionSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(30);

    private readonly CountingRuntime runtime = new(new FakeRuntime());
    private readonly int[] ports = [LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free()];
    private readonly List<ClusterNode> nodes = [];

    public async Task InitializeAsync()
    {
        foreach (var port in ports)
        {
            nodes.Add(await ClusterNode.StartAsync(port, ports, runtime, ClusterNode.ThrottledTcp));
        }

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(nodes.All(node => node.UpMembers == 3)), Formation),
            "the three nodes did not form a cluster");
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(nodes.All(node => node.Table.Replicas.Count == 3)), Formation),
            "the three nodes did not route by 3 replicas");
    }

    public async Task DisposeAsync()
    {
        foreach (var node in nodes.AsEnumerable().Reverse())
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_node_cut_off_from_the_others_is_downed_and_the_majority_schedules_alone()
    {
        var isolated = nodes.Single(node => node.Address == node.Status().Cluster!.Scheduler);
        var majority = nodes.Where(node => node != isolated).ToArray();
        var instances = runtime.Inner.Running.ToDictionary(name => name, name => runtime.Inner.Get(name)!.InstanceId);
        Assert.Equal(1, runtime.Live);

        foreach (var other in majority)
        {
            Assert.True(await isolated.CutFromAsync(other));
            Assert.True(await other.CutFromAsync(isolated));
        }

        // The minority downs itself (its actor system ends); the majority removes it.
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(isolated.System.WhenTerminated.IsCompleted), TimeSpan.FromSeconds(60)),
            "the isolated node was not downed");
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(majority.All(node =>
                node.Cluster.State.Members.Count == 2 && node.UpMembers == 2)), TimeSpan.FromSeconds(30)),
            "the majority did not remove the isolated node");

        // The majority's scheduler answers and keeps N, from the same replicas.
        object? answer = null;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            answer = await majority[1].Supervisor.Ask<object>(new AddReplicas(1, new[] { "S8" }), TimeSpan.FromSeconds(15));
            return answer is ReplicaSet;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)), $"no /add succeeded on the majority: {answer}");
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(majority.All(node => node.Table.Replicas.Count == 4)), TimeSpan.FromSeconds(1)));
        await ClusterSpecs.AssertOneSchedulerAmongAsync(majority);
        Assert.All(instances, pair => Assert.Equal(pair.Value, runtime.Inner.Get(pair.Key)?.InstanceId));
        Assert.Equal(4, runtime.Inner.Running.Count);
        Assert.Equal(1, runtime.Live);
        Assert.Equal(1, runtime.MostAtOnce);
    }
}
