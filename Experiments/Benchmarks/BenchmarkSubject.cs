using Balancer.Actors.Routing;
using Experiments.Analysis;

namespace Experiments.Benchmarks;

/// <summary>The configurations the benchmarks compare, by the name shown in their tables.</summary>
internal static class BenchmarkSubject
{
    public const string SpecName = "spec";
    public const string RingName = "ring";
    public const string MaglevName = "maglev";
    public const string RingBoundedName = "ring+bounded";

    /// <summary>
    /// The options for a strategy at N replicas. The spec ring's 512 slots hold only 56 replicas of 9
    /// virtual servers, so at N = 100 it runs with M = 1024 (still the spec's H and Φ).
    /// </summary>
    public static RoutingOptions Options(string name, int replicas) => name switch
    {
        SpecName => new RoutingOptions { Strategy = RoutingStrategies.Spec, Slots = replicas * 9 > 512 ? 1024 : null },
        RingName => new RoutingOptions { Strategy = RoutingStrategies.Ring },
        MaglevName => new RoutingOptions { Strategy = RoutingStrategies.Maglev },
        RingBoundedName => new RoutingOptions { Strategy = RoutingStrategies.Ring, BalanceFactor = 1.25 },
        _ => throw new ArgumentException($"Unknown benchmark subject '{name}'.", nameof(name)),
    };

    public static IReplicaMap Map(string name, int replicas) => StrategyComparison.Build(Options(name, replicas), replicas);

    /// <summary>Six-digit ids in a fixed pseudo-random order, so every run looks up the same ones.</summary>
    public static long[] RequestIds(int count)
    {
        var random = new Random(20240607);
        return Enumerable.Range(0, count).Select(_ => (long)random.Next(100_000, 1_000_000)).ToArray();
    }
}
