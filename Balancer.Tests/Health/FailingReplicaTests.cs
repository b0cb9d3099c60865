using Balancer.Tests.Api;
using Balancer.Tests.Support;
using Experiments.Faults;

namespace Balancer.Tests.Health;

/// <summary>
/// A replica that passes every heartbeat but answers 500 to every request (the fault replica as S1):
/// the data path ejects it and retries its GETs on the next replica, and the supervisor replaces it.
/// </summary>
public sealed class FailingReplicaTests
{
    [Fact]
    public async Task AReplicaFailingEveryRequestIsEjectedAndReplacedAndNoClientSeesItsErrors()
    {
        using var launcher = FaultReplicaLauncher.Create(ReplicaServerBinary.Path, FaultMode.ServerError);
        await using var balancer = await TestBalancer.StartAsync(3, launcher.Setting);
        // Half the ids are S1's, so without ejection S1 would get half of all requests.
        long[] ids = [.. FailoverTests.IdsOwnedBy("S1", 40), .. FailoverTests.IdsOwnedBy("S2", 20), .. FailoverTests.IdsOwnedBy("S3", 20)];
        var load = new LoadLoop(id => balancer.Api.HomeAsync(id), ids);

        string? replacement = null;
        var replaced = await Eventually.HoldsAsync(async () =>
        {
            var (n, replicas) = await balancer.Api.ListAsync();
            replacement = replicas.SingleOrDefault(name => name is not ("S1" or "S2" or "S3"));
            return n == 3 && !replicas.Contains("S1") && replacement is not null;
        }, TimeSpan.FromSeconds(30));
        var sentWhileS1Served = load.Completed;
        var replacementServed = await Eventually.HoldsAsync(() => Task.FromResult(load.ServedBy.GetValueOrDefault(replacement ?? "") > 10),
            TimeSpan.FromSeconds(10));
        await load.StopAsync();
        var reachedS1 = launcher.FaultedRequests().Count;

        Assert.True(replaced, $"S1 was not replaced; {reachedS1} requests reached it\n{balancer.Log}");
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} of {load.Completed} failed:\n" + string.Join("\n", load.Failures.Take(10)));
        Assert.True(replacementServed, $"the replacement {replacement} never served S1's ids");
        // Ejected: only the attempts that found it failing, and the trials, reached S1, not its half of the load.
        Assert.True(reachedS1 >= 1 && reachedS1 < sentWhileS1Served / 4,
            $"{reachedS1} requests reached S1 of the {sentWhileS1Served} sent while it was listed");
    }
}
