using System.Text.Json;
using Balancer.Tests.Support;

namespace Balancer.Tests.Api;

/// <summary>Scaling under racing clients, scaling to zero, and what a stopping balancer leaves behind.</summary>
public sealed class ScalingTests
{
    [Fact]
    public async Task AddThenRemoveScalesUpAndBackDown()
    {
        await using var balancer = await BalancerProcess.StartAsync();

        var (addStatus, added) = await balancer.AddAsync(new { n = 3, hostnames = new[] { "S5", "S4" } });

        Assert.Equal(200, addStatus);
        var afterAdd = Replicas(added);
        Assert.Equal(6, added.RootElement.GetProperty("message").GetProperty("N").GetInt32());
        Assert.Equal(["S1", "S2", "S3", "S5", "S4"], afterAdd.Take(5));
        Assert.Equal(afterAdd.Order(), balancer.ReplicaPids().Keys.Order());

        var (removeStatus, removed) = await balancer.RemoveAsync(new { n = 3, hostnames = new[] { "S5", "S4" } });

        Assert.Equal(200, removeStatus);
        var afterRemove = Replicas(removed);
        Assert.Equal(3, afterRemove.Count);
        Assert.Equal(3, removed.RootElement.GetProperty("message").GetProperty("N").GetInt32());
        Assert.DoesNotContain("S5", afterRemove);
        Assert.DoesNotContain("S4", afterRemove);
        Assert.Equal(afterRemove, afterAdd.Where(afterRemove.Contains)); // the rest keep their order
        Assert.True(await Eventually.HoldsAsync(
            () => Task.FromResult(balancer.ReplicaPids().Keys.Order().SequenceEqual(afterRemove.Order())), TimeSpan.FromSeconds(10)),
            $"live replica processes {string.Join(",", balancer.ReplicaPids().Keys)} != {string.Join(",", afterRemove)}");
    }

    [Fact]
    public async Task RacingAddsAndRemovesKeepNListedAndLiveProcessesEqual()
    {
        await using var balancer = await BalancerProcess.StartAsync();

        var calls = Enumerable.Range(0, 10).Select(index => index % 5 < 3
            ? balancer.AddAsync(new { n = 1 + index % 2 })
            : balancer.RemoveAsync(new { n = 1 })).ToArray();
        var results = await Task.WhenAll(calls);

        foreach (var (status, body) in results)
        {
            var message = body.RootElement.GetProperty("message");
            Assert.True(status == 200 || message.GetString()!.Contains("only"), $"{status}: {message}");
        }

        var (n, replicas) = await balancer.ListAsync();
        Assert.Equal(n, replicas.Count);
        Assert.True(await Eventually.HoldsAsync(
            () => Task.FromResult(balancer.ReplicaPids().Keys.Order().SequenceEqual(replicas.Order())), TimeSpan.FromSeconds(10)),
            $"listed {string.Join(",", replicas)} but running {string.Join(",", balancer.ReplicaPids().Keys)}");
    }

    [Fact]
    public async Task RemovingEveryReplicaIsAllowedAndRoutingThenAnswersServiceUnavailable()
    {
        await using var balancer = await BalancerProcess.StartAsync();

        var (status, body) = await balancer.RemoveAsync(new { n = 3 });
        Assert.Equal(200, status);
        Assert.Equal(0, body.RootElement.GetProperty("message").GetProperty("N").GetInt32());

        var (routeStatus, routeBody) = await balancer.SendAsync(HttpMethod.Get, "/home", null);
        Assert.Equal(503, routeStatus);
        Assert.Equal("<Error> No replica is available to serve the request", routeBody.RootElement.GetProperty("message").GetString());
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(balancer.ReplicaPids().Count == 0), TimeSpan.FromSeconds(10)));

        Assert.Equal(200, (await balancer.AddAsync(new { n = 1, hostnames = new[] { "back" } })).Status);
        Assert.Equal(200, (await balancer.HomeAsync(123456)).Status);
    }

    [Fact]
    public async Task SigtermStopsEveryReplicaAndNoneIsRespawned()
    {
        var balancer = await BalancerProcess.StartAsync();
        var pids = balancer.ReplicaPids().Values.ToArray();

        await balancer.StopAsync("TERM");

        Assert.All(pids, pid => Assert.False(ReplicaProcesses.IsAlive(pid), $"replica {pid} outlived the balancer"));
        Assert.DoesNotContain("Starting replica", balancer.Log.Split("Shutting down")[^1]);
        await balancer.DisposeAsync();
    }

    [Fact]
    public async Task ReplicasExitByThemselvesWhenTheBalancerIsKilled()
    {
        var balancer = await BalancerProcess.StartAsync();
        var pids = balancer.ReplicaPids().Values.ToArray();

        await balancer.StopAsync("KILL");

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(pids.All(pid => !ReplicaProcesses.IsAlive(pid))), TimeSpan.FromSeconds(10)),
            "replicas outlived a SIGKILLed balancer");
        await balancer.DisposeAsync();
    }

    [Fact]
    public async Task ReplicaIgnoresTheTerminalsCtrlCAndLeavesShutdownToTheBalancer()
    {
        await using var balancer = await BalancerProcess.StartAsync();
        var before = balancer.ReplicaPids();

        Signals.Send("INT", before["S1"]);
        await Task.Delay(1500);

        Assert.Equal(before, balancer.ReplicaPids());
        Assert.Equal(["S1", "S2", "S3"], (await balancer.ListAsync()).Replicas);
    }

    private static List<string> Replicas(JsonDocument body) =>
        body.RootElement.GetProperty("message").GetProperty("replicas").EnumerateArray().Select(item => item.GetString()!).ToList();
}
