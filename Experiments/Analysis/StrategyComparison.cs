using Balancer.Actors.Routing;

namespace Experiments.Analysis;

/// <summary>Measures a configured strategy's spread and disruption at a given number of replicas.</summary>
public static class StrategyComparison
{
    public static string ReplicaName(int number) => $"replica-{number}";

    /// <param name="concurrency">Requests in flight for the bounded-load spread; used only when BalanceFactor is set.</param>
    public static StrategyMeasurement Measure(RoutingOptions options, int replicas, long firstId, long lastId, int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        var map = Build(options, replicas);
        var atN = map.Current;
        var spread = options.BalanceFactor is { } factor
            ? LoadSpread.MaxOverMean(BoundedLoadSimulation.CountPerReplica(atN, factor, concurrency, firstId, lastId))
            : LoadSpread.MaxOverMean(atN, firstId, lastId);

        // Movement is of the hashed mapping, which is what bounded loads also gives at zero load.
        map.Add(ReplicaName(replicas + 1));
        var added = LoadSpread.MovedPercent(atN, map.Current, firstId, lastId);

        var shrinking = Build(options, replicas);
        var victim = ReplicaName(1);
        var victimShare = LoadSpread.SharePercent(atN, victim, firstId, lastId);
        shrinking.Remove(victim);
        var removed = LoadSpread.MovedPercent(atN, shrinking.Current, firstId, lastId);

        return new StrategyMeasurement(Label(options), replicas, spread, added, removed, victimShare);
    }

    public static string Label(RoutingOptions options) =>
        options.BalanceFactor is { } factor ? $"{options.Strategy} + bounded loads c={factor}" : options.Strategy;

    /// <summary>A map with replica-1..replica-N added in order.</summary>
    public static IReplicaMap Build(RoutingOptions options, int replicas)
    {
        var map = RoutingStrategies.Create(options);
        for (var number = 1; number <= replicas; number++)
        {
            map.Add(ReplicaName(number));
        }

        return map;
    }
}
