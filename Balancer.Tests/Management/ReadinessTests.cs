using Balancer.Actors.Supervision;
using Balancer.Web.Management;

namespace Balancer.Tests.Management;

public sealed class ReadinessTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    [Fact]
    public void NotReadyUntilTheDesiredReplicasServeThenReadyWhileAnyServes()
    {
        var readiness = new Readiness();

        Assert.Equal(new ReadinessVerdict(false, "the replica supervisor has not answered yet"), readiness.Judge(null, stopping: false));
        Assert.False(readiness.Judge(Report(3, listing: true), false).Ready);
        Assert.Equal(new ReadinessVerdict(false, "starting: 2 of 3 desired replicas serve"), readiness.Judge(Report(3, serving: 2), false));
        Assert.Equal(new ReadinessVerdict(true, "3 of 3 desired replicas serve"), readiness.Judge(Report(3, serving: 3), false));
        // A replica died and its replacement starts: the balancer still serves.
        Assert.True(readiness.Judge(Report(3, serving: 2), false).Ready);
        Assert.False(readiness.Judge(Report(3, serving: 0), false).Ready);
        Assert.Equal(new ReadinessVerdict(false, "the balancer is shutting down"), readiness.Judge(Report(3, serving: 3), stopping: true));
    }

    [Fact]
    public void ABalancerWithoutReplicasIsReadyOnceListed()
    {
        Assert.True(new Readiness().Judge(Report(0), false).Ready);
    }

    private static ReplicaStatusReport Report(int desired, int serving = 0, bool listing = false) =>
        new(desired,
            Enumerable.Range(1, serving).Select(index => new ReplicaStatus($"S{index}", ReplicaState.Serving, null, Now))
                .Append(new ReplicaStatus("starting", ReplicaState.Starting, null, null)).ToArray(),
            listing, false, Now);
}
