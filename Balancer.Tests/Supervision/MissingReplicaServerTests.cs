using Akka.TestKit.Xunit2;
using Balancer.Actors.Runtime.Process;
using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision;

/// <summary>The supervisor with a process runtime whose ReplicaServer binary is missing (a bad Balancer:ReplicaServerPath).</summary>
public sealed class MissingReplicaServerTests : TestKit
{
    [Fact]
    public async Task AnAddAnswersThatTheStartFailedInsteadOfWaitingForever()
    {
        await using var runtime = new ProcessRuntime(new ProcessRuntimeOptions { ReplicaServerPath = "/nonexistent/ReplicaServer" });
        var probe = new HttpReplicaProbe();
        var harness = new SupervisorHarness(Sys, runtime, probe, new SupervisorOptions { ReplicaSet = new ReplicaSetOptions { Replicas = 0 }, Heartbeat = SupervisorHarness.FastHeartbeats });

        var reply = await harness.AddAsync(1, "S1");

        var rejected = Assert.IsType<AdminRejected>(reply);
        Assert.Equal(AdminErrorKind.RuntimeFailure, rejected.Kind);
        Assert.Contains("/nonexistent/ReplicaServer", rejected.Message);
        Assert.Empty(await harness.ListAsync());
        probe.Dispose();
    }
}
