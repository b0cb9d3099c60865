using System.Text.Json;
using Balancer.Tests.Support;

namespace Balancer.Tests.Api;

/// <summary>Scaling under racing clients, scaling to zero, and what a stopping balancer leaves behind.</summary>
public sealed class ScalingTests
{
    [Fact]
    public async Task AddThenRemoveScalesUpAndBackDown()
    {
        await using var balancer = await TestBalancer.StartAsync();

        var added = await balancer.Api.AddAsync(3, "S5", "S4");

        Assert.Equal(200, added.Status);
        var afterAdd = Replicas(added.Json);
        Assert.Equal(6, added.Json.GetProperty("message").GetProperty("N").GetInt32());
        Assert.Equal(["S1", "S2", "S3", "S5", "S4"], afterAdd.Take(5));
        Assert.Equal(afterAdd.Order(), balancer.ReplicaPids().Keys.Order());

        var removed = await balancer.Api.RemoveAsync(3, "S5", "S4");

        Assert.Equal(200, removed.Status);
        var afterRemove = Replicas(removed.Json);
        Assert.Equal(3, afterRemove.Count);
        Assert.Equal(3, removed.Json.GetProperty("message").GetProperty("N").GetInt32());
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
        await using var balancer = await TestBalancer.StartAsync();

        var calls = Enumerable.Range(0, 10).Select(index => index % 5 < 3
            ? balancer.Api.AddAsync(1 + index % 2)
            : balancer.Api.RemoveAsync(1)).ToArray();
        var results = await Task.WhenAll(calls);

        foreach (var result in results)
        {
            var message = result.Json.GetProperty("message");
            Assert.True(result.Status == 200 || message.GetString()!.Contains("only"), $"{result.Status}: {message}");
        }

        var (n, replicas) = await balancer.Api.ListAsync();
        Assert.Equal(n, replicas.Count);
        Assert.True(await Eventually.HoldsAsync(
            () => Task.FromResult(balancer.ReplicaPids().Keys.Order().SequenceEqual(replicas.Order())), TimeSpan.FromSeconds(10)),
            $"listed {string.Join(",", replicas)} but running {string.Join(",", balancer.ReplicaPids().Keys)}");
    }

    [Fact]
    public async Task RemovingEveryReplicaIsAllowedAndRoutingThenAnswersServiceUnavailable()
    {
        await using var balancer = await TestBalancer.StartAsync();

        var removed = await balancer.Api.RemoveAsync(3);
        Assert.Equal(200, removed.Status);
        Assert.Equal(0, removed.Json.GetProperty("message").GetProperty("N").GetInt32());

        var routed = await balancer.Api.SendAsync(HttpMethod.Get, "/home");
        Assert.Equal(503, routed.Status);
        Assert.Equal("<Error> No replica is available to serve the request", routed.Json.GetProperty("message").GetString());
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(balancer.ReplicaPids().Count == 0), TimeSpan.FromSeconds(10)));

        Assert.Equal(200, (await balancer.Api.AddAsync(1, "back")).Status);
        Assert.Equal(200, (await balancer.Api.HomeAsync(123456)).Status);
    }

    [Fact]
    public async Task SigtermStopsEveryReplicaAndNoneIsRespawned()
    {
        var balancer = await TestBalancer.StartAsync();
        var pids = balancer.ReplicaPids().Values.ToArray();

        await balancer.StopAsync("TERM");

        Assert.All(pids, pid => Assert.False(ReplicaProcesses.IsAlive(pid), $"replica {pid} outlived the balancer"));
        Assert.DoesNotContain("Starting replica", balancer.Log.Split("Shutting down")[^1]);
        // An operator reads the shutdown: the replicas' exit notices reach no ended actor.
        Assert.DoesNotContain("dead letter", balancer.Log, StringComparison.OrdinalIgnoreCase);
        await balancer.DisposeAsync();
    }

    [Fact]
    public async Task ReplicasExitByThemselvesWhenTheBalancerIsKilled()
    {
        var balancer = await TestBalancer.StartAsync();
        var pids = balancer.ReplicaPids().Values.ToArray();

        await balancer.StopAsync("KILL");

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(pids.All(pid => !ReplicaProcesses.IsAlive(pid))), TimeSpan.FromSeconds(10)),
            "replicas outlived a SIGKILLed balancer");
        await balancer.DisposeAsync();
    }

    [Fact]
    public async Task ReplicaIgnoresTheTerminalsCtrlCAndLeavesShutdownToTheBalancer()
    {
        await using var balancer = await TestBalancer.StartAsync();
        var before = balancer.ReplicaPids();

        Signals.Send("INT", before["S1"]);
        await Task.Delay(1500);

        Assert.Equal(before, balancer.ReplicaPids());
        Assert.Equal(["S1", "S2", "S3"], (await balancer.Api.ListAsync()).Replicas);
    }

    private static List<string> Replicas(JsonElement body) =>
        body.GetProperty("message").GetProperty("replicas").EnumerateArray().Select(item => item.GetString()!).ToList();
}
