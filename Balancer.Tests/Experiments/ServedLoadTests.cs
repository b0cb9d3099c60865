using Experiments.Analysis;

namespace Balancer.Tests.Experiments;

public sealed class ServedLoadTests
{
    [Fact]
    public void CountsRequestsPerReplicaIgnoringCaseAndCountsFailuresApart()
    {
        string?[] servedBy = ["S1", "S2", "s1", null, "S3", "S1", null];

        var counts = ServedLoad.CountPerReplica(servedBy, out var failed);

        Assert.Equal(["S1", "S2", "S3"], counts.Keys);
        Assert.Equal([3, 1, 1], counts.Values);
        Assert.Equal(2, failed);
    }

    [Fact]
    public void SummaryGivesMinMeanMaxAndMaxOverMean()
    {
        var summary = ServedLoad.Summarize([8447, 474, 1079]);

        Assert.Equal(3, summary.Replicas);
        Assert.Equal(474, summary.Min);
        Assert.Equal(10_000 / 3.0, summary.Mean, 9);
        Assert.Equal(8447, summary.Max);
        Assert.Equal(8447 / (10_000 / 3.0), summary.MaxOverMean, 9);
    }

    [Fact]
    public void AListedReplicaThatServedNothingIsTheMinimum()
    {
        var counts = new Dictionary<string, int> { ["S1"] = 6, ["S2"] = 2 };

        var summary = ServedLoad.Summarize(counts, ["S1", "S2", "S3"]);

        Assert.Equal(0, summary.Min);
        Assert.Equal(8 / 3.0, summary.Mean, 9);
        Assert.Equal(6 / (8 / 3.0), summary.MaxOverMean, 9);
    }

    [Fact]
    public void AnEvenSpreadHasMaxOverMeanOneAndNoLoadHasZero()
    {
        Assert.Equal(1.0, ServedLoad.Summarize([5, 5, 5, 5]).MaxOverMean);
        Assert.Equal(0.0, ServedLoad.Summarize([0, 0]).MaxOverMean);
        Assert.Equal(0, ServedLoad.Summarize(Array.Empty<int>()).Replicas);
    }
}
