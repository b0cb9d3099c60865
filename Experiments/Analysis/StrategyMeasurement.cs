using Balancer.Actors.Routing;

namespace Experiments.Analysis;

/// <summary>
/// One strategy at N replicas over an id range. Percentages are of all ids in the range.
/// </summary>
/// <param name="MaxOverMean">Busiest replica over the mean; with bounded loads, of requests placed at the stated concurrency.</param>
/// <param name="AddedMovedPercent">Ids that change replica when replica N+1 joins (ideal: 100/(N+1)).</param>
/// <param name="RemovedMovedPercent">Ids that change replica when the first replica leaves.</param>
/// <param name="RemovedSharePercent">The leaving replica's share: the least a removal can move.</param>
public sealed record StrategyMeasurement(
    string Strategy,
    int Replicas,
    double MaxOverMean,
    double AddedMovedPercent,
    double RemovedMovedPercent,
    double RemovedSharePercent)
{
    public double AddedIdealPercent => 100.0 / (Replicas + 1);
}
