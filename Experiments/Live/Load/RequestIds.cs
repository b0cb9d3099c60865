namespace Experiments.Live.Load;

/// <summary>Random six-digit request ids (as the spec's clients send), reproducible from a seed.</summary>
internal static class RequestIds
{
    public static long[] Random(int seed, int count)
    {
        var random = new Random(seed);
        var ids = new long[count];
        for (var index = 0; index < count; index++)
        {
            ids[index] = random.Next(100_000, 1_000_000);
        }

        return ids;
    }
}
