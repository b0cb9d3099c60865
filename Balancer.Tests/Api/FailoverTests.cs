using Balancer.Actors.Routing;
using Balancer.Tests.Support;
using Xunit.Abstractions;

namespace Balancer.Tests.Api;

/// <summary>A replica dies under a stream of requests it owns: no client request fails.</summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("KILL")]
    [InlineData("STOP")]
    public async Task RequestsForADyingReplicaNeverFail(string signal)
    {
        await using var balancer = await TestBalancer.StartAsync();
        var victimIds = IdsOwnedBy("S2", count: 40);
        var victimPid = balancer.ReplicaPids()["S2"];
        var load = new LoadLoop(id => balancer.Api.HomeAsync(id), victimIds);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(load.ServedBy.GetValueOrDefault("S2") > 50), TimeSpan.FromSeconds(20)),
            "the ids should reach the victim before it dies");

        var signalledAt = load.Elapsed;
        Signals.Send(signal, victimPid);
        string? replacement = null;
        var replaced = await Eventually.HoldsAsync(async () =>
        {
            var (n, replicas) = await balancer.Api.ListAsync();
            replacement = replicas.SingleOrDefault(name => name is not ("S1" or "S2" or "S3"));
            return n == 3 && !replicas.Contains("S2") && replacement is not null;
        }, TimeSpan.FromSeconds(30));
        // Keep sending until the replacement itself has served some of the ids (it takes over S2's server id).
        var served = await Eventually.HoldsAsync(() => Task.FromResult(load.ServedBy.GetValueOrDefault(replacement ?? "") > 20), TimeSpan.FromSeconds(10));
        await load.StopAsync();

        var takeover = load.FirstServed.TryGetValue(replacement ?? "", out var first) ? first - signalledAt : TimeSpan.Zero;
        output.WriteLine($"SIG{signal}: replacement {replacement} served its first request {takeover.TotalMilliseconds:0} ms after the signal; " +
            $"{load.Completed} requests, {load.Failures.Count} failed; served by {string.Join(", ", load.ServedBy.Select(pair => $"{pair.Key}={pair.Value}"))}");
        Assert.True(replaced, "the victim was not replaced");
        Assert.True(served, "the replacement never served the victim's ids");
        Assert.True(load.Failures.Count == 0, string.Join("\n", load.Failures.Take(10)) + "\n" + balancer.Log);
        await AwaitGoneAsync(victimPid);
    }

    private static async Task AwaitGoneAsync(int pid)
    {
        // A SIGSTOPped replica ignores the request to stop; the balancer kills it after its stop timeout.
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(!ReplicaProcesses.IsAlive(pid)), TimeSpan.FromSeconds(15)),
            $"the dead replica's process {pid} lingers");
    }

    /// <summary>Ids the default ring (S1, S2, S3 with the spec hashes) sends to <paramref name="hostname"/>.</summary>
    internal static long[] IdsOwnedBy(string hostname, int count) => IdsOwnedBy(hostname, count, ["S1", "S2", "S3"]);

    /// <summary>Ids the spec ring of <paramref name="replicas"/> (joined in that order) sends to <paramref name="hostname"/>.</summary>
    internal static long[] IdsOwnedBy(string hostname, int count, IReadOnlyList<string> replicas)
    {
        var ring = new ConsistentHashMap();
        foreach (var name in replicas)
        {
            ring.Add(name);
        }

        return Enumerable.Range(100_000, 900_000).Select(id => (long)id)
            .Where(id => ring.Current.Route(id) == hostname).Take(count).ToArray();
    }
}
