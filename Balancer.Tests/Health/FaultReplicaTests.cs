using Balancer.Tests.Api;
using Balancer.Tests.Support;
using Experiments.Faults;

namespace Balancer.Tests.Health;

/// <summary>
/// The fault replica the health tests start as S1, with the health features off (exactly the balancer
/// before them): any executable at the replica path that answers /heartbeat joins as a replica, and a
/// request it fails reaches the client as it came.
/// </summary>
public sealed class FaultReplicaTests
{
    [Fact]
    public async Task TheFaultReplicaJoinsAsS1AndItsRequestsFailWhileTheOthersServe()
    {
        using var launcher = FaultReplicaLauncher.Create(ReplicaServerBinary.Path, FaultMode.ServerError);
        await using var balancer = await TestBalancer.StartAsync(3, launcher.Setting, "--Balancer:Health:Enabled=false");

        Assert.True(launcher.FaultyStarted, "the launcher never started the fault replica");
        Assert.Equal(["S1", "S2", "S3"], (await balancer.Api.ListAsync()).Replicas);
        var faulted = await balancer.Api.HomeAsync(FailoverTests.IdsOwnedBy("S1", 1)[0]);
        var served = await balancer.Api.HomeAsync(FailoverTests.IdsOwnedBy("S2", 1)[0]);

        Assert.Equal(500, faulted.Status);
        Assert.Equal("S1", faulted.Replica);
        Assert.Equal(200, served.Status);
        Assert.Equal("S2", served.Replica);
        Assert.Single(launcher.FaultedRequests());
    }
}
