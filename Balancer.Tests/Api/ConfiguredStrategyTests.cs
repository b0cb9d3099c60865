using Balancer.Actors.Routing;
using Balancer.Tests.Support;

namespace Balancer.Tests.Api;

/// <summary>Strategies chosen by configuration route real requests as their maps say.</summary>
public sealed class ConfiguredStrategyTests
{
    [Theory]
    [InlineData("maglev", null)]
    [InlineData("ring", null)]
    [InlineData("ring", "1.25")] // bounded loads: one request at a time is never over the cap
    public async Task RequestsGoWhereTheConfiguredMapSends(string strategy, string? balanceFactor)
    {
        var settings = new List<string> { $"--Balancer:Routing:Strategy={strategy}" };
        if (balanceFactor is not null)
        {
            settings.Add($"--Balancer:Routing:BalanceFactor={balanceFactor}");
        }

        await using var balancer = await BalancerProcess.StartAsync(3, settings.ToArray());
        var map = RoutingStrategies.Create(new RoutingOptions { Strategy = strategy });
        foreach (var name in new[] { "S1", "S2", "S3" })
        {
            map.Add(name);
        }

        var servedBy = new HashSet<string>();
        for (long id = 100_000; id < 100_060; id++)
        {
            var (status, replica) = await balancer.HomeAsync(id);
            Assert.Equal(200, status);
            Assert.Equal(map.Current.Route(id), replica);
            servedBy.Add(replica!);
        }

        Assert.Equal(3, servedBy.Count); // a well-mixed strategy spreads even 60 ids over all three
    }

    [Fact]
    public async Task ImpossibleConfigurationStopsTheBalancerWithAClearMessage()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            BalancerProcess.StartAsync(3, "--Balancer:Routing:Slots=16"));

        Assert.Contains("do not fit in M = 16 slots", error.Message);
    }
}
