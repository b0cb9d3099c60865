using Balancer.Web.Management;
using Microsoft.Extensions.Time.Testing;

namespace Balancer.Tests.Management;

/// <summary>The status page's recent events, as the supervisor's records become them.</summary>
public sealed class ReplicaEventLogTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheJoinAfterADeathIsItsReplacementAndAPromotedSpareSaysWhoseSpotItTook()
    {
        var log = new ReplicaEventLog(new FakeTimeProvider(At));

        log.Joined("S1", At);
        log.Died("S1", "exited", At.AddSeconds(1));
        log.Joined("r-spare", At.AddSeconds(1));
        log.Promoted("r-spare", "S1", At.AddSeconds(1));
        log.Promoted("r-other", null, At.AddSeconds(2));

        Assert.Equal(
            [("joined", "S1"), ("died", "S1"), ("replaced", "r-spare"), ("promoted", "r-spare"), ("promoted", "r-other")],
            log.Recent().Select(recent => (recent.Kind, recent.Replica)));
        Assert.Equal("joined in place of S1", log.Recent()[2].Message);
        Assert.Equal("a warm spare, in place of S1", log.Recent()[3].Message);
        Assert.Equal("a warm spare, taken by an /add", log.Recent()[4].Message);
    }
}
