using BenchmarkDotNet.Attributes;
using Balancer.Actors.Routing;

namespace Experiments.Benchmarks;

/// <summary>
/// What a request thread pays to find its replica: one read of the published routing table, one hash and
/// one array read to the replica's route object (its address and in-flight counter). Spec ring, N = 3.
/// (The actors are not involved: routing never queues in a mailbox.)
/// </summary>
[MemoryDiagnoser]
public class RoutingPathBenchmarks
{
    private RoutingTablePublisher publisher = null!;
    private long nextId = 100_000;

    [GlobalSetup]
    public void Setup()
    {
        var map = new ConsistentHashMap();
        foreach (var name in new[] { "S1", "S2", "S3" })
        {
            map.Add(name);
        }

        var routes = map.Current.Replicas.Select((name, index) => new ReplicaRoute(name, new Uri($"http://127.0.0.1:{6000 + index}"))).ToArray();
        publisher = new RoutingTablePublisher(RoutingTable.Empty(new ConsistentHashMap().Current));
        publisher.Publish(new RoutingTable(map.Current, routes));
    }

    [Benchmark]
    public Uri? PublishedSnapshot() => publisher.Current.RouteFor(NextId())?.Address;

    /// <summary>The forwarder's whole routing cost without bounded loads: pick the route and count the request in flight.</summary>
    [Benchmark]
    public Uri? PublishedSnapshotCounted()
    {
        using var lease = HashedRoutePicker.Instance.Acquire(publisher.Current, NextId());
        return lease.Route?.Address;
    }

    private long NextId() => nextId = nextId == 999_999 ? 100_000 : nextId + 1;
}
