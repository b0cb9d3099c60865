using Balancer.Actors.Routing;

namespace Balancer.Tests.Routing;

public sealed class RoutingOptionsTests
{
    [Fact]
    public void DefaultsAreTheSpecRing()
    {
        var options = new RoutingOptions();
        var ring = options.ToRingOptions();

        Assert.Equal(RoutingStrategies.Spec, options.Strategy);
        Assert.Equal(new RingOptions(), ring);
        Assert.Null(options.BalanceFactor);
        Assert.Same(HashedRoutePicker.Instance, RoutingStrategies.CreateRoutePicker(options));
    }

    [Fact]
    public void TheDefaultStrategyRoutesExactlyLikeTheSpecRing()
    {
        var configured = RoutingStrategies.Create(new RoutingOptions());
        var spec = new ConsistentHashMap();
        foreach (var name in new[] { "S1", "S2", "S3" })
        {
            configured.Add(name);
            spec.Add(name);
        }

        Assert.IsType<ConsistentHashMap>(configured);
        for (long id = 100_000; id < 110_000; id++)
        {
            Assert.Equal(spec.Current.Route(id), configured.Current.Route(id));
        }
    }

    [Fact]
    public void StrategyNamesAreCaseInsensitiveAndPickTheirMaps()
    {
        Assert.IsType<MaglevMap>(RoutingStrategies.Create(new RoutingOptions { Strategy = "MAGLEV" }));
        var ring = Assert.IsType<ConsistentHashMap>(RoutingStrategies.Create(new RoutingOptions { Strategy = "Ring" }));
        Assert.Equal(RoutingStrategies.RingDefaultSlots, ring.Options.Slots);
        Assert.Equal(RoutingStrategies.RingDefaultVirtualServersPerReplica, ring.Options.VirtualServersPerReplica);
        Assert.Same(Mix64HashFunctions.Instance, ring.Options.Hashes);
    }

    [Fact]
    public void RingSettingsOverrideTheStrategyDefaults()
    {
        var ring = new RoutingOptions { Strategy = RoutingStrategies.Spec, Slots = 1024, VirtualServersPerReplica = 10, Hash = "mix64" }
            .ToRingOptions();
        Assert.Equal(1024, ring.Slots);
        Assert.Equal(10, ring.VirtualServersPerReplica);
        Assert.Same(Mix64HashFunctions.Instance, ring.Hashes);
    }

    [Fact]
    public void UnknownNamesAreRejectedWithTheKnownOnes()
    {
        var strategy = Assert.Throws<ArgumentException>(() => RoutingStrategies.Create(new RoutingOptions { Strategy = "random" }));
        Assert.Contains("maglev", strategy.Message);
        var hash = Assert.Throws<ArgumentException>(() => RoutingStrategies.Create(new RoutingOptions { Hash = "md5" }));
        Assert.Contains("mix64", hash.Message);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(RoutingOptions.MaxSlots + 1, 1)]
    [InlineData(512, 513)]
    [InlineData(512, 0)]
    public void RingShapesOutOfRangeAreRejected(int slots, int perReplica) =>
        Assert.ThrowsAny<ArgumentException>(() =>
            new RoutingOptions { Strategy = RoutingStrategies.Ring, Slots = slots, VirtualServersPerReplica = perReplica }.Validate());

    [Fact]
    public void TheWellMixedRingReachesAMillionSlotsAndAThousandVirtualServers()
    {
        var options = new RoutingOptions { Strategy = RoutingStrategies.Ring, Slots = 1 << 20, VirtualServersPerReplica = 1000 };
        options.EnsureFits(1048);
        var error = Assert.Throws<ArgumentException>(() => options.EnsureFits(1049));
        Assert.Contains("N x K = 1049 x 1000", error.Message);
        Assert.Contains("M = 1048576", error.Message);

        var map = RoutingStrategies.Create(options with { Slots = 3999 });
        map.Add("a");
        map.Add("b");
        map.Add("c");
        Assert.Throws<RingFullException>(() => map.Add("d"));
    }

    [Fact]
    public void MaglevNeedsAPrimeTableAndNoRingSettings()
    {
        var size = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new RoutingOptions { Strategy = RoutingStrategies.Maglev, MaglevTableSize = 65536 }.Validate());
        Assert.Contains("prime", size.Message);
        var ringSetting = Assert.Throws<ArgumentException>(() =>
            new RoutingOptions { Strategy = RoutingStrategies.Maglev, VirtualServersPerReplica = 100 }.Validate());
        Assert.Contains("MaglevTableSize", ringSetting.Message);
        Assert.Throws<ArgumentException>(() =>
            new RoutingOptions { Strategy = RoutingStrategies.Maglev, MaglevTableSize = 13 }.EnsureFits(14));
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void BalanceFactorMustBeAtLeastOne(double factor)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RoutingOptions { BalanceFactor = factor }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedLoadRouter(factor));
    }

    [Fact]
    public void ABalanceFactorGivesARouter()
    {
        var router = Assert.IsType<BoundedLoadRouter>(RoutingStrategies.CreateRoutePicker(new RoutingOptions { Strategy = "ring", BalanceFactor = 1.25 }));
        Assert.Equal(1.25, router.BalanceFactor);
    }
}
