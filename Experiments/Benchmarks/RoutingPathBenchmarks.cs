using Akka.Actor;
using BenchmarkDotNet.Attributes;
using Balancer.Actors.Ring;
using Balancer.Actors.Routing;
using Balancer.Actors.Runtime;

namespace Experiments.Benchmarks;

/// <summary>
/// The two ways a request thread can ask the RingActor for a route: read the snapshot it publishes
/// (what the balancer does) or Ask the actor per request (one mailbox hop each). Spec ring, N = 3.
/// </summary>
[MemoryDiagnoser]
public class RoutingPathBenchmarks
{
    private ActorSystem system = null!;
    private IActorRef ring = null!;
    private RoutingTablePublisher publisher = null!;
    private long nextId = 100_000;

    [GlobalSetup]
    public void Setup()
    {
        system = ActorSystem.Create("bench", "akka.loglevel = WARNING");
        var map = new ConsistentHashMap();
        publisher = new RoutingTablePublisher(RoutingTable.Empty(map.Current));
        ring = system.ActorOf(RingActor.Props(map, publisher));
        var replicas = new[] { "S1", "S2", "S3" }
            .Select((name, index) => new RunningReplica(name, new Uri($"http://127.0.0.1:{6000 + index}"), name))
            .ToArray();
        ring.Ask<RingChanged>(new JoinRing(replicas), TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => system.Terminate().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Uri? PublishedSnapshot()
    {
        var table = publisher.Current;
        var hostname = table.Routes.Route(NextId());
        return hostname is null ? null : table.AddressOf(hostname);
    }

    [Benchmark]
    public async Task<Uri?> AskPerRequest() =>
        (await ring.Ask<RouteAnswer>(new RouteRequest(NextId()), TimeSpan.FromSeconds(5))).Address;

    private long NextId() => nextId = nextId == 999_999 ? 100_000 : nextId + 1;
}
