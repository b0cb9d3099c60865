namespace Balancer.Tests.Routing;

internal static class RequestIdSamples
{
    /// <summary>Ids to check: small ones, the spec's six-digit range, and negative or huge ones.</summary>
    public static long[] For(int seed)
    {
        var random = new Random(seed ^ 0x5EED);
        return Enumerable.Range(0, 600).Select(n => (long)n)
            .Concat(Enumerable.Range(0, 600).Select(_ => (long)random.Next(100_000, 1_000_000)))
            .Concat(Enumerable.Range(0, 200).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)))
            .ToArray();
    }
}
