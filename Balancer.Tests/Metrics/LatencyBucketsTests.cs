using Balancer.Web.Metrics;
using FsCheck.Xunit;

namespace Balancer.Tests.Metrics;

public sealed class LatencyBucketsTests
{
    [Property]
    public bool ALatencyFallsInABucketWhoseUpperBoundIsAtMostTenPercentAboveIt(ushort microseconds)
    {
        var seconds = (microseconds + 100) / 1_000_000.0;
        var bound = LatencyBuckets.UpperBound(LatencyBuckets.IndexOf(seconds));
        return bound >= seconds * 0.999_999 && bound <= seconds * 1.1;
    }

    [Fact]
    public void TheMedianAndP99OfAWindowComeFromItsBuckets()
    {
        var counts = new long[LatencyBuckets.Count];
        counts[LatencyBuckets.IndexOf(0.002)] = 98;
        counts[LatencyBuckets.IndexOf(0.300)] = 2;

        Assert.InRange(LatencyBuckets.Quantile(counts, 0.5)!.Value, 0.002, 0.0022);
        Assert.InRange(LatencyBuckets.Quantile(counts, 0.99)!.Value, 0.3, 0.33);
        Assert.Null(LatencyBuckets.Quantile(new long[LatencyBuckets.Count], 0.5));
    }
}
