using System.Diagnostics;
using Akka.Actor;
using Balancer.Actors.Runtime;
using Balancer.Actors.Supervision;
using Balancer.Tests.Supervision;
using Balancer.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Balancer.Tests.Cluster;

/// <summary>
/// Three balancer nodes as one cluster, in one test process: one scheduler (the supervisor singleton) keeps
/// exactly N replicas, every node builds the same routing table from the replicated ring, and the singleton
/// moves without the survivors ever routing from an empty table.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterSpecs : IAsyncLifetime
{
    private const int Ids = 1000;
    private static readonly TimeSpan Agreement = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(30);

    private readonly FakeRuntime runtime = new();
    private readonly int[] ports = [LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free()];
    private readonly List<ClusterNode> nodes = [];

    public async Task InitializeAsync()
    {
        // The first seed forms the cluster; the others join it, as make cluster starts them.
        foreach (var port in ports)
        {
            nodes.Add(await ClusterNode.StartAsync(port, ports, runtime));
        }

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(nodes.All(node => node.UpMembers == 3)), Formation),
            "the three nodes did not form a cluster");
        Assert.True(await AgreeAsync(nodes, 3, Formation), "the three nodes did not all route by the same table of 3 replicas");
    }

    public async Task DisposeAsync()
    {
        foreach (var node in nodes.AsEnumerable().Reverse())
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_node_routes_a_thousand_ids_alike_after_every_change_and_one_scheduler_keeps_exactly_N()
    {
        Assert.Equal(3, runtime.Running.Count);
        AssertSameRoutes(nodes);
        var scheduler = nodes.Single(node => node.Address == node.Status().Cluster!.Scheduler);
        var other = nodes.First(node => node != scheduler);

        // /add through a node that does not host the scheduler.
        var clock = Stopwatch.StartNew();
        var added = await other.Supervisor.Ask<object>(new AddReplicas(2, new[] { "S4" }), TimeSpan.FromSeconds(20));
        Assert.IsType<ReplicaSet>(added);
        Assert.True(await AgreeAsync(nodes, 5, Agreement), $"the nodes did not agree on 5 replicas within {Agreement.TotalSeconds} s of the answer");
        clock.Stop();
        AssertSameRoutes(nodes);
        Assert.Contains("S4", nodes[0].Table.Replicas.Select(route => route.Hostname));
        Assert.Equal(5, runtime.Running.Count);

        var removed = await nodes.Last(node => node != other).Supervisor.Ask<object>(new RemoveReplicas(1, new[] { "S2" }), TimeSpan.FromSeconds(20));
        Assert.IsType<ReplicaSet>(removed);
        Assert.True(await AgreeAsync(nodes, 4, Agreement), "the nodes did not agree on 4 replicas after the /rm");
        AssertSameRoutes(nodes);
        Assert.DoesNotContain("S2", nodes[2].Table.Replicas.Select(route => route.Hostname));

        // The replicated inventory (what a new scheduler adopts from) is what runs, read on any node.
        var inventory = await other.Services.GetRequiredService<IReplicaInventory>().ReadAsync(CancellationToken.None);
        Assert.Equal(
            runtime.Running.Order(StringComparer.OrdinalIgnoreCase).Select(name => (name, runtime.Get(name)!.InstanceId)),
            inventory.OrderBy(replica => replica.Hostname, StringComparer.OrdinalIgnoreCase).Select(replica => (replica.Hostname, replica.InstanceId)));

        // One scheduler: the set stays at N, with no second supervisor starting replicas of its own.
        Assert.False(await Eventually.HoldsAsync(() => Task.FromResult(runtime.Running.Count != 4), TimeSpan.FromSeconds(1)));
        Assert.All(nodes, node => Assert.Equal(nodes[0].Table.Fingerprint, node.Status().Routing.Fingerprint));
    }

    [Fact]
    public async Task When_the_schedulers_node_leaves_the_next_one_adopts_the_running_replicas_while_the_others_keep_routing()
    {
        var scheduler = nodes.Single(node => node.Address == node.Status().Cluster!.Scheduler);
        var survivors = nodes.Where(node => node != scheduler).ToArray();
        var before = runtime.Running.ToDictionary(name => name, name => runtime.Get(name)!.InstanceId);
        var routesBefore = survivors[0].Routes(Ids);

        using var watching = new CancellationTokenSource();
        var smallestTable = WatchSmallestTable(survivors, watching.Token);
        await scheduler.StopAsync();

        // The new scheduler answers /add (it has adopted what runs, from the recorded N).
        var clock = Stopwatch.StartNew();
        object? answer = null;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            answer = await survivors[1].Supervisor.Ask<object>(new AddReplicas(1, new[] { "S7" }), TimeSpan.FromSeconds(15));
            return answer is ReplicaSet;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)), $"no /add succeeded after the hand-over: {answer}");
        clock.Stop();
        await watching.CancelAsync();

        Assert.Equal(3, await smallestTable);
        Assert.True(await AgreeAsync(survivors, 4, Agreement));
        AssertSameRoutes(survivors);
        // The replicas of before are the same instances (adopted, not restarted) and route the same ids.
        Assert.All(before, pair => Assert.Equal(pair.Value, runtime.Get(pair.Key)?.InstanceId));
        Assert.Equal(4, runtime.Running.Count);
        var routesAfter = survivors[0].Routes(Ids);
        Assert.All(Enumerable.Range(0, Ids).Where(id => routesAfter[id] != "S7"), id => Assert.Equal(routesBefore[id], routesAfter[id]));
        // The singleton moved to a survivor (the oldest member left), and both say so.
        await AssertOneSchedulerAmongAsync(survivors);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"/add answered again only after {clock.Elapsed}");
    }

    /// <summary>Waits until every node routes by a table of <paramref name="replicas"/> replicas with one fingerprint.</summary>
    private static Task<bool> AgreeAsync(IReadOnlyList<ClusterNode> of, int replicas, TimeSpan within) =>
        Eventually.HoldsAsync(() => Task.FromResult(
            of.All(node => node.Table.Replicas.Count == replicas)
            && of.Select(node => node.Table.Fingerprint).Distinct().Count() == 1), within, TimeSpan.FromMilliseconds(10));

    /// <summary>Every node names the same scheduler, and it is one of them (once the departed node is removed from their views).</summary>
    internal static async Task AssertOneSchedulerAmongAsync(IReadOnlyList<ClusterNode> of)
    {
        string?[] named = [];
        Assert.True(await Eventually.HoldsAsync(() =>
        {
            named = of.Select(node => node.Status().Cluster!.Scheduler).Distinct().ToArray();
            return Task.FromResult(named.Length == 1 && of.Any(node => node.Address == named[0]));
        }, TimeSpan.FromSeconds(5)), $"the nodes name {string.Join(", ", named)} as the scheduler");
    }

    private static void AssertSameRoutes(IReadOnlyList<ClusterNode> of)
    {
        var first = of[0].Routes(Ids);
        Assert.All(first, replica => Assert.NotNull(replica));
        Assert.All(of.Skip(1), node => Assert.Equal(first, node.Routes(Ids)));
    }

    /// <summary>The fewest replicas any of the nodes routed by while watched (polled every few milliseconds).</summary>
    private static Task<int> WatchSmallestTable(IReadOnlyList<ClusterNode> of, CancellationToken stop) => Task.Run(async () =>
    {
        var smallest = int.MaxValue;
        while (!stop.IsCancellationRequested)
        {
            smallest = Math.Min(smallest, of.Min(node => node.Table.Replicas.Count));
            try
            {
                await Task.Delay(5, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return smallest;
    });
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster nodes";
}
