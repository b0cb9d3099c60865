using Balancer.Actors.Routing;

namespace Balancer.Tests.Routing;

/// <summary>A seeded, replayable sequence of adds and removes on any configured routing strategy.</summary>
internal static class StrategyScenario
{
    /// <summary>Every strategy, with rings small enough that hundreds of rebuilds stay fast.</summary>
    public static readonly RoutingOptions[] Configurations =
    [
        new() { Strategy = RoutingStrategies.Spec },
        new() { Strategy = RoutingStrategies.Spec, Probing = ProbingPolicy.Quadratic },
        new() { Strategy = RoutingStrategies.Ring, Slots = 1 << 14, VirtualServersPerReplica = 200 },
        new() { Strategy = RoutingStrategies.Ring, Slots = 4099, VirtualServersPerReplica = 100, Probing = ProbingPolicy.Quadratic },
        new() { Strategy = RoutingStrategies.Maglev },
        new() { Strategy = RoutingStrategies.Maglev, MaglevTableSize = 4099 },
    ];

    public static RoutingOptions Pick(int seed) => Configurations[(int)((uint)seed % Configurations.Length)];

    /// <summary>Builds a map of 1..12 replicas through a random mix of adds and removes.</summary>
    public static IReplicaMap Build(int seed, RoutingOptions options)
    {
        var random = new Random(seed);
        var map = RoutingStrategies.Create(options);
        var nextName = 0;
        var steps = random.Next(1, 30);
        for (var step = 0; step < steps || map.Current.Replicas.Count == 0; step++)
        {
            var replicas = map.Current.Replicas;
            if (replicas.Count > 1 && (replicas.Count >= 12 || random.Next(3) == 0))
            {
                map.Remove(replicas[random.Next(replicas.Count)]);
            }
            else
            {
                // Mixed case: hostnames are case-insensitive everywhere.
                map.Add(random.Next(2) == 0 ? $"R{nextName++}" : $"r{nextName++}");
            }
        }

        return map;
    }
}
