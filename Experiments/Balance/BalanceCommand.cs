using System.Globalization;
using Balancer.Actors.Routing;
using Experiments.Analysis;

namespace Experiments.Balance;

/// <summary>
/// `balance`: every strategy's max/mean over all 900,000 six-digit ids at N = 2..6, and the ids moved
/// when a replica joins or leaves, as a Markdown table.
/// </summary>
internal static class BalanceCommand
{
    public const long FirstId = 100_000;
    public const long LastId = 999_999;
    public const int Concurrency = 100;
    public const double BalanceFactor = 1.25;

    public static IReadOnlyList<RoutingOptions> Strategies { get; } =
    [
        new() { Strategy = RoutingStrategies.Spec },
        new() { Strategy = RoutingStrategies.Ring },
        new() { Strategy = RoutingStrategies.Maglev },
        new() { Strategy = RoutingStrategies.Spec, BalanceFactor = BalanceFactor },
        new() { Strategy = RoutingStrategies.Ring, BalanceFactor = BalanceFactor },
    ];

    public static int Run()
    {
        Console.WriteLine($"Ids {FirstId}..{LastId}; bounded loads replay them with {Concurrency} requests in flight.");
        Console.WriteLine();
        Console.WriteLine("| Strategy | Shape | N | max/mean | moved on add N→N+1 (ideal) | moved on remove of replica-1 (its share) |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var options in Strategies)
        {
            for (var replicas = 2; replicas <= 6; replicas++)
            {
                var row = StrategyComparison.Measure(options, replicas, FirstId, LastId, Concurrency);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {row.Strategy} | {Shape(options)} | {row.Replicas} | {row.MaxOverMean:F3} | " +
                    $"{row.AddedMovedPercent:F2}% ({row.AddedIdealPercent:F2}%) | " +
                    $"{row.RemovedMovedPercent:F2}% ({row.RemovedSharePercent:F2}%) |"));
            }
        }

        return 0;
    }

    private static string Shape(RoutingOptions options)
    {
        if (options.IsMaglev)
        {
            return $"M={options.MaglevTableSize}";
        }

        var ring = options.ToRingOptions();
        return $"M={ring.Slots}, K={ring.VirtualServersPerReplica}, {ring.Hashes.Name}";
    }
}
