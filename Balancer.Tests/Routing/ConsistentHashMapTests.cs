using Balancer.Actors.Routing;

namespace Balancer.Tests.Routing;

public sealed class ConsistentHashMapTests
{
    [Theory]
    [InlineData(ProbingPolicy.Linear)]
    [InlineData(ProbingPolicy.Quadratic)]
    public void SpecCollisionProbesToTheNextFreeSlot(ProbingPolicy probing)
    {
        // Φ(1,1) = 29 and Φ(2,0) = 29: S2's first virtual server finds 29 taken and takes 30
        // (linear +1 and quadratic's first triangular offset +1 agree here).
        var map = new ConsistentHashMap(new RingOptions { VirtualServersPerReplica = 2, Probing = probing });
        map.Add("S1");
        map.Add("S2");

        var placed = map.Current.VirtualServers.Select(v => (v.Slot, v.Hostname, v.VirtualIndex));
        Assert.Equal([(26, "S1", 0), (29, "S1", 1), (30, "S2", 0), (32, "S2", 1)], placed);
    }

    [Fact]
    public void SpecRingWithThreeReplicasMatchesHandComputedLayout()
    {
        var map = new ConsistentHashMap();
        map.Add("S1");
        map.Add("S2");
        map.Add("S3");

        // Φ(i, j) = i² + j² + 2j + 25: S1 26 29 34 41 50 61 74 89 106; S2 29→30 32 37 44 53 64 77 92 109;
        // S3 34→35 37→38 42 49 58 69 82 97 114.
        int[] Slots(string name) => map.Current.VirtualServers.Where(v => v.Hostname == name).Select(v => v.Slot).ToArray();
        Assert.Equal([26, 29, 34, 41, 50, 61, 74, 89, 106], Slots("S1"));
        Assert.Equal([30, 32, 37, 44, 53, 64, 77, 92, 109], Slots("S2"));
        Assert.Equal([35, 38, 42, 49, 58, 69, 82, 97, 114], Slots("S3"));
    }

    [Theory]
    [InlineData(0, "S1")]   // H = 17: the first virtual server at or after 17 is S1's 26
    [InlineData(3, "S2")]   // H = 32: exactly on S2's slot
    [InlineData(5, "S2")]   // H = 52: the next virtual server is S2's 53
    [InlineData(6, "S3")]   // H = 65: the next virtual server is S3's 69
    [InlineData(10, "S1")]  // H = 137: past the last virtual server (114), wraps to S1's 26
    public void RequestGoesToTheNearestVirtualServerClockwise(long requestId, string expected)
    {
        var map = new ConsistentHashMap();
        map.Add("S1");
        map.Add("S2");
        map.Add("S3");

        Assert.Equal(expected, map.Current.Route(requestId));
    }

    [Fact]
    public void LinearProbingTakesConsecutiveSlotsAndQuadraticTakesTriangularOffsets()
    {
        var linear = RingWithEveryVirtualServerOn(slot: 0, ProbingPolicy.Linear, replicas: 4);
        var quadratic = RingWithEveryVirtualServerOn(slot: 0, ProbingPolicy.Quadratic, replicas: 4);

        Assert.Equal([0, 1, 2, 3], linear.Current.VirtualServers.Select(v => v.Slot));
        Assert.Equal([0, 1, 3, 6], quadratic.Current.VirtualServers.Select(v => v.Slot));
    }

    [Theory]
    [InlineData(16, ProbingPolicy.Quadratic)]
    [InlineData(12, ProbingPolicy.Quadratic)] // not a power of two: the linear sweep finds the rest
    [InlineData(12, ProbingPolicy.Linear)]
    public void ProbingFillsEveryFreeSlotThenReportsAFullRing(int slots, ProbingPolicy probing)
    {
        var map = new ConsistentHashMap(new RingOptions
        {
            Slots = slots,
            VirtualServersPerReplica = 1,
            Hashes = new ConstantHashFunctions(5),
            Probing = probing,
        });
        for (var n = 0; n < slots; n++)
        {
            map.Add($"R{n}");
        }

        Assert.Equal(Enumerable.Range(0, slots), map.Current.VirtualServers.Select(v => v.Slot));
        var error = Assert.Throws<RingFullException>(() => map.Add("one-too-many"));
        Assert.Contains("full", error.Message);
        Assert.Equal(slots, map.Current.Replicas.Count);
    }

    [Fact]
    public void ReplicaThatDoesNotFitIsRejectedWithoutChangingTheRing()
    {
        var map = new ConsistentHashMap(new RingOptions { Slots = 20, VirtualServersPerReplica = 9 });
        map.Add("S1");
        map.Add("S2");
        var before = map.Current;

        Assert.Throws<RingFullException>(() => map.Add("S3"));
        Assert.Same(before, map.Current);
        map.Remove("S1");
        Assert.Equal(1, map.Add("S3")); // the freed id and slots are usable again
    }

    [Fact]
    public void ServerIdsStartAtOneAndReuseTheLowestFreeId()
    {
        var map = new ConsistentHashMap();
        Assert.Equal(1, map.Add("a"));
        Assert.Equal(2, map.Add("b"));
        Assert.Equal(3, map.Add("c"));
        Assert.True(map.Remove("b"));
        Assert.Equal(2, map.Add("d"));
        Assert.Equal(4, map.Add("e"));
        Assert.True(map.Remove("e"));
        Assert.True(map.Remove("c"));
        Assert.Equal(3, map.Add("f"));
    }

    [Fact]
    public void HostnamesAreCaseInsensitiveAndListedInJoinOrder()
    {
        var map = new ConsistentHashMap();
        map.Add("S2");
        map.Add("s1");
        Assert.Throws<ArgumentException>(() => map.Add("s2"));
        Assert.False(map.Remove("S9"));
        Assert.True(map.Remove("S1"));
        map.Add("S10");
        Assert.Equal(["S2", "S10"], map.Current.Replicas);
    }

    [Fact]
    public void EmptyRingRoutesNowhere()
    {
        var map = new ConsistentHashMap();
        Assert.Null(map.Current.Route(123456));
        Assert.Empty(map.Current.FailoverOrder(123456));
    }

    [Fact]
    public void FailoverOrderStartsWithTheRoutedReplicaAndListsEachReplicaOnce()
    {
        var map = new ConsistentHashMap();
        foreach (var name in new[] { "S1", "S2", "S3", "S4" })
        {
            map.Add(name);
        }

        for (long id = 0; id < 2000; id++)
        {
            var order = map.Current.FailoverOrder(id);
            Assert.Equal(map.Current.Route(id), order[0]);
            Assert.Equal(4, order.Distinct().Count());
            Assert.Equal(4, order.Count);
        }
    }

    [Fact]
    public void SnapshotsAreImmutable()
    {
        var map = new ConsistentHashMap();
        map.Add("S1");
        var old = map.Current;
        map.Add("S2");
        Assert.Equal(["S1"], old.Replicas);
        Assert.All(Enumerable.Range(0, 1000), id => Assert.Equal("S1", old.Route(id)));
    }

    private static ConsistentHashMap RingWithEveryVirtualServerOn(int slot, ProbingPolicy probing, int replicas)
    {
        var map = new ConsistentHashMap(new RingOptions
        {
            Slots = 64,
            VirtualServersPerReplica = 1,
            Hashes = new ConstantHashFunctions(slot),
            Probing = probing,
        });
        for (var n = 0; n < replicas; n++)
        {
            map.Add($"R{n}");
        }

        return map;
    }
}
