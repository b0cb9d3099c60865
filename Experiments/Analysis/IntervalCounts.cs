using Balancer.Actors.Routing;

namespace Experiments.Analysis;

/// <summary>Requests per fixed time interval, by replica, for a timeline of a run.</summary>
public sealed class IntervalCounts
{
    private IntervalCounts(TimeSpan width, IReadOnlyList<string> replicas, int[][] served, int[] failed)
    {
        Width = width;
        Replicas = replicas;
        Served = served;
        Failed = failed;
    }

    public TimeSpan Width { get; }

    /// <summary>Every replica that served at least one request, ordered by name.</summary>
    public IReadOnlyList<string> Replicas { get; }

    /// <summary>Served[r][b]: requests replica <c>Replicas[r]</c> completed in interval b.</summary>
    public IReadOnlyList<int[]> Served { get; }

    /// <summary>Failed[b]: requests that failed in interval b.</summary>
    public int[] Failed { get; }

    public int IntervalCount => Failed.Length;

    /// <summary>The start of interval b, from the start of the run.</summary>
    public TimeSpan Start(int interval) => Width * interval;

    /// <summary>
    /// Buckets requests by the time they completed: interval b holds [b·width, (b+1)·width).
    /// A null replica is a failure. Times before zero are clamped into the first interval.
    /// </summary>
    public static IntervalCounts Bucket(IEnumerable<(TimeSpan CompletedAt, string? Replica)> requests, TimeSpan width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(width, TimeSpan.Zero);
        var samples = requests.ToArray();
        var intervals = samples.Length == 0 ? 0 : Index(samples.Max(sample => sample.CompletedAt), width) + 1;
        var replicas = samples.Where(sample => sample.Replica is not null).Select(sample => sample.Replica!)
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToArray();
        var rowByReplica = LoadSpread.IndexByName(replicas);
        var served = replicas.Select(_ => new int[intervals]).ToArray();
        var failed = new int[intervals];
        foreach (var (completedAt, replica) in samples)
        {
            var interval = Index(completedAt, width);
            if (replica is null)
            {
                failed[interval]++;
            }
            else
            {
                served[rowByReplica[replica]][interval]++;
            }
        }

        return new IntervalCounts(width, replicas, served, failed);
    }

    private static int Index(TimeSpan at, TimeSpan width) => at <= TimeSpan.Zero ? 0 : (int)(at.Ticks / width.Ticks);
}
