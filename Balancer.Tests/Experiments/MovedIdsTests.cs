using Experiments.Analysis;

namespace Balancer.Tests.Experiments;

public sealed class MovedIdsTests
{
    [Fact]
    public void FractionIsTheShareOfIdsWhoseReplicaChanged()
    {
        var before = new Dictionary<long, string?> { [1] = "S1", [2] = "S2", [3] = "S3", [4] = "S1" };
        var after = new Dictionary<long, string?> { [1] = "S1", [2] = "S4", [3] = "s3", [4] = "S4" };

        Assert.Equal(0.5, MovedIds.Fraction(before, after));
    }

    [Fact]
    public void IdsThatFailedOrAreMissingInEitherRunAreNotCompared()
    {
        var before = new Dictionary<long, string?> { [1] = "S1", [2] = null, [3] = "S3", [4] = "S2" };
        var after = new Dictionary<long, string?> { [1] = "S2", [2] = "S2", [3] = null };

        // Only id 1 is comparable, and it moved.
        Assert.Equal(1.0, MovedIds.Fraction(before, after));
        Assert.Equal(0.0, MovedIds.Fraction(new Dictionary<long, string?>(), after));
    }

    [Fact]
    public void ARepeatedIdKeepsItsSuccessfulAnswer()
    {
        var byId = MovedIds.ByRequestId([(7, "S1"), (7, null), (8, null), (9, null), (9, "S2")]);

        Assert.Equal("S1", byId[7]);
        Assert.Null(byId[8]);
        Assert.Equal("S2", byId[9]);
    }
}
