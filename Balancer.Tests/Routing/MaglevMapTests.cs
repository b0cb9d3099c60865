using Balancer.Actors.Routing;

namespace Balancer.Tests.Routing;

public sealed class MaglevMapTests
{
    [Theory]
    [InlineData(65537, 3)]
    [InlineData(65537, 7)]
    [InlineData(4099, 100)]
    [InlineData(13, 5)]
    public void EveryReplicaHoldsWithinOneEntryOfAnEqualShare(int tableSize, int replicas)
    {
        var map = new MaglevMap(tableSize);
        for (var n = 0; n < replicas; n++)
        {
            map.Add($"replica-{n}");
        }

        var entries = map.Current.Entries.ToArray();
        var perReplica = Enumerable.Range(0, replicas).Select(index => entries.Count(entry => entry == index)).ToArray();
        Assert.Equal(tableSize, perReplica.Sum());
        Assert.True(perReplica.Max() - perReplica.Min() <= 1, string.Join(", ", perReplica));
    }

    [Fact]
    public void TheTableDependsOnTheSetOfReplicasNotTheJoinOrderOrCase()
    {
        var first = new MaglevMap(4099);
        foreach (var name in new[] { "alpha", "beta", "gamma" })
        {
            first.Add(name);
        }

        var second = new MaglevMap(4099);
        foreach (var name in new[] { "GAMMA", "delta", "Alpha", "Beta" })
        {
            second.Add(name);
        }

        second.Remove("DELTA");
        for (long id = 0; id < 5000; id++)
        {
            Assert.Equal(first.Current.Route(id), second.Current.Route(id), StringComparer.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void HostnamesAreCaseInsensitiveAndListedInJoinOrder()
    {
        var map = new MaglevMap();
        Assert.Equal(1, map.Add("S2"));
        Assert.Equal(2, map.Add("s1"));
        Assert.Throws<ArgumentException>(() => map.Add("s2"));
        Assert.False(map.Remove("S9"));
        Assert.True(map.Remove("S1"));
        Assert.Equal(2, map.Add("S10")); // the freed server id is reused, as in the ring
        Assert.Equal(["S2", "S10"], map.Current.Replicas);
    }

    [Fact]
    public void EmptyTableRoutesNowhere()
    {
        var snapshot = new MaglevMap().Current;
        Assert.Null(snapshot.Route(123456));
        Assert.Empty(snapshot.FailoverOrder(123456));
        Assert.Equal(0, snapshot.FillFailoverOrder(123456, new int[4]));
    }

    [Fact]
    public void SnapshotsAreImmutable()
    {
        var map = new MaglevMap();
        map.Add("S1");
        var old = map.Current;
        map.Add("S2");
        Assert.Equal(["S1"], old.Replicas);
        Assert.All(Enumerable.Range(0, 1000), id => Assert.Equal("S1", old.Route(id)));
        Assert.Contains(Enumerable.Range(0, 1000), id => map.Current.Route(id) == "S2");
    }

    [Fact]
    public void MoreReplicasThanEntriesAreRejectedWithoutChangingTheTable()
    {
        var map = new MaglevMap(5);
        for (var n = 0; n < 5; n++)
        {
            map.Add($"R{n}");
        }

        var before = map.Current;
        var error = Assert.Throws<RingFullException>(() => map.Add("R5"));
        Assert.Contains("5 entries", error.Message);
        Assert.Same(before, map.Current);
    }

    [Theory]
    [InlineData(65536)]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(RoutingOptions.MaxMaglevTableSize + 1)]
    public void TableSizeMustBeAPrimeInRange(int tableSize)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MaglevMap(tableSize));
        Assert.Contains("prime", error.Message);
    }
}
