using Experiments.Analysis;

namespace Balancer.Tests.Experiments;

public sealed class IntervalCountsTests
{
    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    [Fact]
    public void RequestsFallIntoHalfOpenIntervalsByReplica()
    {
        (TimeSpan, string?)[] requests =
        [
            (Ms(0), "S1"), (Ms(99), "S1"), (Ms(100), "S2"), (Ms(150), "S1"), (Ms(250), null), (Ms(299), "S2"),
        ];

        var buckets = IntervalCounts.Bucket(requests, Ms(100));

        Assert.Equal(3, buckets.IntervalCount);
        Assert.Equal(["S1", "S2"], buckets.Replicas);
        Assert.Equal([2, 1, 0], buckets.Served[0]);
        Assert.Equal([0, 1, 1], buckets.Served[1]);
        Assert.Equal([0, 0, 1], buckets.Failed);
        Assert.Equal(Ms(200), buckets.Start(2));
    }

    [Fact]
    public void EveryRequestIsCountedOnce()
    {
        var random = new Random(5);
        var requests = Enumerable.Range(0, 1_000)
            .Select(_ => (Ms(random.Next(0, 5_000)), random.Next(4) is var replica && replica == 3 ? null : $"S{replica + 1}"))
            .ToArray();

        var buckets = IntervalCounts.Bucket(requests, Ms(100));

        Assert.Equal(50, buckets.IntervalCount);
        Assert.Equal(1_000, buckets.Served.Sum(row => row.Sum()) + buckets.Failed.Sum());
        Assert.Equal(requests.Count(request => request.Item2 is null), buckets.Failed.Sum());
    }

    [Fact]
    public void NoRequestsGiveNoIntervalsAndAZeroWidthIsRejected()
    {
        Assert.Equal(0, IntervalCounts.Bucket([], Ms(100)).IntervalCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => IntervalCounts.Bucket([], TimeSpan.Zero));
    }
}
