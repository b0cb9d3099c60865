using Balancer.Actors.Routing;

namespace Balancer.Tests.Routing;

/// <summary>A seeded, replayable sequence of adds and removes on a ring.</summary>
internal static class RingScenario
{
    public static readonly RingOptions[] Configurations =
    [
        new() { Hashes = SpecHashFunctions.Instance, Probing = ProbingPolicy.Linear },
        new() { Hashes = SpecHashFunctions.Instance, Probing = ProbingPolicy.Quadratic },
        new() { Hashes = Mix64HashFunctions.Instance, Probing = ProbingPolicy.Linear },
        new() { Hashes = Mix64HashFunctions.Instance, Probing = ProbingPolicy.Quadratic },
    ];

    public static RingOptions PickConfiguration(int seed) => Configurations[(int)((uint)seed % Configurations.Length)];

    /// <summary>Builds a ring of 1..12 replicas through a random mix of adds and removes.</summary>
    public static ConsistentHashMap Build(int seed, RingOptions options)
    {
        var random = new Random(seed);
        var map = new ConsistentHashMap(options);
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
                map.Add($"R{nextName++}");
            }
        }

        return map;
    }

    /// <summary>Ids to check: small ones, the spec's six-digit range, and negative or huge ones.</summary>
    public static long[] SampleIds(int seed)
    {
        var random = new Random(seed ^ 0x5EED);
        return Enumerable.Range(0, 600).Select(n => (long)n)
            .Concat(Enumerable.Range(0, 600).Select(_ => (long)random.Next(100_000, 1_000_000)))
            .Concat(Enumerable.Range(0, 200).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)))
            .ToArray();
    }
}
