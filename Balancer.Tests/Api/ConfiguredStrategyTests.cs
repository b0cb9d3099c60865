using Balancer.Actors.Routing;
using Balancer.Tests.Support;

namespace Balancer.Tests.Api;

/// <summary>Strategies chosen by configuration route real requests as their maps say.</summary>
public sealed class ConfiguredStrategyTests
{
    [Theory]
    [InlineData("maglev", null)]
    [InlineData("ring", null)]
    [InlineData("ring", "1.25")]
    public async Task RequestsGoWhereTheConfiguredMapSends(string strategy, string? balanceFactor)
    {
        var settings = new List<string> { $"--Balancer:Routing:Strategy={strategy}" };
        if (balanceFactor is not null)
        {
            settings.Add($"--Balancer:Routing:BalanceFactor={balanceFactor}");
        }

        await using var balancer = await TestBalancer.StartAsync(3, settings.ToArray());
        var map = RoutingStrategies.Create(new RoutingOptions { Strategy = strategy });
        foreach (var name in new[] { "S1", "S2", "S3" })
        {
            map.Add(name);
        }

        var servedBy = new HashSet<string>();
        var exact = 0;
        for (long id = 100_000; id < 100_060; id++)
        {
            var (status, _, replica) = await balancer.Api.HomeAsync(id);
            Assert.Equal(200, status);
            servedBy.Add(replica!);
            if (balanceFactor is null)
            {
                Assert.True(map.Current.Route(id) == replica,
                    $"id {id}: the map says {map.Current.Route(id)}, the balancer used {replica}\n{balancer.Log}");
            }
            else
            {
                // The previous request's lease may end a moment after its response reached us, so two can
                // count as in flight: the cap then sends a request at most one replica further clockwise.
                Assert.Contains(replica, map.Current.FailoverOrder(id).Take(2));
            }

            exact += replica == map.Current.Route(id) ? 1 : 0;
        }

        Assert.True(exact >= 30, $"only {exact} of 60 requests went to their hashed replica");

        Assert.Equal(3, servedBy.Count); // a well-mixed strategy spreads even 60 ids over all three
    }

    [Fact]
    public async Task ImpossibleConfigurationStopsTheBalancerWithAClearMessage()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestBalancer.StartAsync(3, "--Balancer:Routing:Slots=16"));

        Assert.Contains("do not fit in M = 16 slots", error.Message);
    }
}
