using BenchmarkDotNet.Attributes;
using Balancer.Actors.Routing;
using Experiments.Analysis;

namespace Experiments.Benchmarks;

/// <summary>Time and allocations to pick the replica for one request.</summary>
[MemoryDiagnoser]
public class LookupBenchmarks
{
    private const int IdsPerInvoke = 1024;

    private IRouteSnapshot snapshot = null!;
    private RoutingTable table = null!;
    private BoundedLoadRouter? router;
    private long[] ids = [];

    [Params(BenchmarkSubject.SpecName, BenchmarkSubject.RingName, BenchmarkSubject.MaglevName, BenchmarkSubject.RingBoundedName)]
    public string Strategy { get; set; } = BenchmarkSubject.SpecName;

    [Params(3, 10, 100)]
    public int Replicas { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = BenchmarkSubject.Options(Strategy, Replicas);
        snapshot = BenchmarkSubject.Map(Strategy, Replicas).Current;
        table = RouteTables.For(snapshot);
        router = RoutingStrategies.CreateRoutePicker(options) as BoundedLoadRouter;
        ids = BenchmarkSubject.RequestIds(IdsPerInvoke);
    }

    /// <summary>With bounded loads: acquire and release a lease (the forwarder's per-request cost at low load).</summary>
    [Benchmark(OperationsPerInvoke = IdsPerInvoke)]
    public int Lookup()
    {
        var lengths = 0;
        if (router is null)
        {
            foreach (var id in ids)
            {
                lengths += snapshot.Route(id)!.Length;
            }

            return lengths;
        }

        foreach (var id in ids)
        {
            using var lease = router.Acquire(table, id);
            lengths += lease.Route!.Hostname.Length;
        }

        return lengths;
    }
}
