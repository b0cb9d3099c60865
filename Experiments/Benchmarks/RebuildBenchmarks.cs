using BenchmarkDotNet.Attributes;
using Balancer.Actors.Routing;

namespace Experiments.Benchmarks;

/// <summary>Time for the single writer to publish a new snapshot: one replica joins, then leaves again.</summary>
[MemoryDiagnoser]
public class RebuildBenchmarks
{
    private IReplicaMap map = null!;

    [Params(BenchmarkSubject.SpecName, BenchmarkSubject.RingName, BenchmarkSubject.MaglevName)]
    public string Strategy { get; set; } = BenchmarkSubject.SpecName;

    [Params(3, 10, 100)]
    public int Replicas { get; set; }

    [GlobalSetup]
    public void Setup() => map = BenchmarkSubject.Map(Strategy, Replicas);

    /// <summary>Two rebuilds per operation: halve the time for one change.</summary>
    [Benchmark]
    public int AddThenRemove()
    {
        map.Add("joining");
        map.Remove("joining");
        return map.Current.Replicas.Count;
    }
}
