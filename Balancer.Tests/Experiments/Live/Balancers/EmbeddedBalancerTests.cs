using Balancer.Tests.Support;

namespace Balancer.Tests.Experiments.Live.Balancers;

/// <summary>What the launcher cleans up that the balancer itself could not.</summary>
public sealed class EmbeddedBalancerTests
{
    [Fact]
    public async Task DisposingKillsAReplicaTheKilledBalancerLeftBehind()
    {
        var balancer = await TestBalancer.StartAsync(2);
        var pids = balancer.ReplicaPids();
        try
        {
            // A stopped replica cannot notice that its parent died, so it outlives a SIGKILLed balancer.
            Signals.Send("STOP", pids["S1"]);
            await balancer.StopAsync("KILL");
            Assert.True(ReplicaProcesses.IsAlive(pids["S1"]), "the stopped replica should still be there before the sweep");
        }
        finally
        {
            await balancer.DisposeAsync();
        }

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(pids.Values.All(pid => !ReplicaProcesses.IsAlive(pid))), TimeSpan.FromSeconds(10)),
            "a replica outlived the disposed balancer");
    }
}
