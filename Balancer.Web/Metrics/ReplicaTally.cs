namespace Balancer.Web.Metrics;

/// <summary>
/// What the status page needs of one replica's requests since start-up (counts, server errors, latency
/// buckets), kept beside the exported instruments because a meter cannot be read back in process.
/// </summary>
internal sealed class ReplicaTally
{
    private readonly long[] latency = new long[LatencyBuckets.Count];
    private long requests;
    private long serverErrors;

    public void Record(int status, double seconds)
    {
        Interlocked.Increment(ref requests);
        if (StatusClass.IsServerError(status))
        {
            Interlocked.Increment(ref serverErrors);
        }

        Interlocked.Increment(ref latency[LatencyBuckets.IndexOf(seconds)]);
    }

    public TallyReading Read()
    {
        var buckets = new long[latency.Length];
        for (var index = 0; index < buckets.Length; index++)
        {
            buckets[index] = Interlocked.Read(ref latency[index]);
        }

        return new TallyReading(Interlocked.Read(ref requests), Interlocked.Read(ref serverErrors), buckets);
    }
}

/// <summary>A copy of a <see cref="ReplicaTally"/>; two of them give a window's rates and percentiles.</summary>
internal sealed record TallyReading(long Requests, long ServerErrors, long[] Latency)
{
    public static readonly TallyReading Zero = new(0, 0, new long[LatencyBuckets.Count]);

    public TallyReading Since(TallyReading earlier)
    {
        var buckets = new long[Latency.Length];
        for (var index = 0; index < buckets.Length; index++)
        {
            buckets[index] = Latency[index] - earlier.Latency[index];
        }

        return new TallyReading(Requests - earlier.Requests, ServerErrors - earlier.ServerErrors, buckets);
    }
}
