using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Balancer.Actors.Routing;

namespace Experiments.Benchmarks;

/// <summary>
/// What a request thread pays to find its replica: one read of the published routing table, one hash and
/// the address lookup. Spec ring, N = 3. (The actors are not involved: routing never queues in a mailbox.)
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
        var addresses = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, index) in new[] { "S1", "S2", "S3" }.Select((name, index) => (name, index)))
        {
            map.Add(name);
            addresses[name] = new Uri($"http://127.0.0.1:{6000 + index}");
        }

        publisher = new RoutingTablePublisher(RoutingTable.Empty(map.Current));
        publisher.Publish(new RoutingTable(map.Current, addresses.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase)));
    }

    [Benchmark]
    public Uri? PublishedSnapshot()
    {
        var table = publisher.Current;
        var hostname = table.Routes.Route(NextId());
        return hostname is null ? null : table.AddressOf(hostname);
    }

    private long NextId() => nextId = nextId == 999_999 ? 100_000 : nextId + 1;
}
