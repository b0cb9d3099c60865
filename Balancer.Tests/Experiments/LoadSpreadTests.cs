using Balancer.Actors.Routing;
using Experiments.Analysis;

namespace Balancer.Tests.Routing;

public sealed class LoadSpreadTests
{
    private const long FirstId = 100_000;
    private const long LastId = 139_999;

    [Fact]
    public void MaxOverMeanIsTheBusiestOverTheAverage()
    {
        Assert.Equal(1.5, LoadSpread.MaxOverMean([1, 2, 3]));
        Assert.Equal(2.0, LoadSpread.MaxOverMean([1, 1, 4]));
        Assert.Equal(1.0, LoadSpread.MaxOverMean([7, 7]));
    }

    [Theory]
    [InlineData(RoutingStrategies.Spec)]
    [InlineData(RoutingStrategies.Ring)]
    [InlineData(RoutingStrategies.Maglev)]
    public void CountsCoverEveryIdOnce(string strategy)
    {
        var snapshot = StrategyComparison.Build(new RoutingOptions { Strategy = strategy }, 4).Current;
        Assert.Equal(LastId - FirstId + 1, LoadSpread.CountPerReplica(snapshot, FirstId, LastId).Sum());
    }

    [Fact]
    public void MaglevMeetsTheBalanceAndMovementGoalOnASmallRange()
    {
        for (var replicas = 2; replicas <= 6; replicas++)
        {
            var row = StrategyComparison.Measure(new RoutingOptions { Strategy = RoutingStrategies.Maglev }, replicas, FirstId, LastId, 1);
            Assert.InRange(row.MaxOverMean, 1.0, 1.05);
            Assert.InRange(row.AddedMovedPercent, 0, row.AddedIdealPercent + 1);
        }
    }

    [Theory]
    [InlineData(RoutingStrategies.Spec)]
    [InlineData(RoutingStrategies.Ring)]
    public void ARingMovesExactlyTheLeavingReplicasShare(string strategy)
    {
        var row = StrategyComparison.Measure(new RoutingOptions { Strategy = strategy }, 4, FirstId, LastId, 1);
        Assert.Equal(row.RemovedSharePercent, row.RemovedMovedPercent, precision: 10);
    }

    [Fact]
    public void BoundedLoadsSpreadTheSpecRingFarBetterThanItsHashAlone()
    {
        var spec = new RoutingOptions { Strategy = RoutingStrategies.Spec };
        var bounded = spec with { BalanceFactor = 1.25 };
        var hashed = StrategyComparison.Measure(spec, 3, FirstId, LastId, 50).MaxOverMean;
        var capped = StrategyComparison.Measure(bounded, 3, FirstId, LastId, 50).MaxOverMean;

        Assert.True(hashed > 2, $"spec ring alone: {hashed}");
        Assert.True(capped < 1.5, $"with bounded loads: {capped}");
    }
}
