using Balancer.Actors.Routing;
using FsCheck.Xunit;

namespace Balancer.Tests.Routing;

public sealed class BoundedLoadRouterTests
{
    private static int Cap(double factor, int totalWithNewRequest, int replicas) =>
        (int)Math.Ceiling(factor * totalWithNewRequest / replicas);

    /// <summary>
    /// Random interleavings of requests starting and finishing, checked against the test's own count of
    /// what is in flight: each request goes to the first replica in failover order under the cap.
    /// </summary>
    [Property(MaxTest = 60)]
    public bool EachRequestGoesToTheFirstReplicaClockwiseUnderTheCap(int seed)
    {
        var random = new Random(seed);
        var options = StrategyScenario.Pick(seed);
        var snapshot = StrategyScenario.Build(seed, options).Current;
        var table = TestTables.For(snapshot);
        var routeByName = table.Replicas.ToDictionary(route => route.Hostname, StringComparer.OrdinalIgnoreCase);
        var factor = 1.0 + random.Next(0, 100) / 100.0;
        var router = new BoundedLoadRouter(factor);
        var load = snapshot.Replicas.ToDictionary(name => name, _ => 0, StringComparer.OrdinalIgnoreCase);
        var held = new List<(ReplicaLease Lease, string Hostname)>();

        for (var step = 0; step < 2000; step++)
        {
            if (held.Count > 0 && random.Next(3) == 0)
            {
                var finished = random.Next(held.Count);
                held[finished].Lease.Dispose();
                load[held[finished].Hostname]--;
                held.RemoveAt(finished);
                continue;
            }

            var id = random.Next(100_000, 1_000_000);
            var cap = Cap(factor, held.Count + 1, snapshot.Replicas.Count);
            var expected = snapshot.FailoverOrder(id).First(name => load[name] < cap);
            var lease = router.Acquire(table, id);
            if (lease.Route?.Hostname != expected || load[expected] + 1 > cap)
            {
                return false;
            }

            load[expected]++;
            held.Add((lease, expected));
        }

        var countsAgree = load.All(pair => routeByName[pair.Key].InFlight.Value == pair.Value);
        held.ForEach(entry => entry.Lease.Dispose());
        return countsAgree && router.TotalInFlight == 0 && table.Replicas.All(route => route.InFlight.Value == 0);
    }

    [Fact]
    public void ConcurrentRequestsNeverPushAReplicaOverTheCap()
    {
        const double factor = 1.25;
        const int threads = 4;
        const int perThread = 50;
        var map = new ConsistentHashMap(new RingOptions { Slots = 4096, VirtualServersPerReplica = 40, Hashes = Mix64HashFunctions.Instance });
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            map.Add(name);
        }

        var table = TestTables.For(map.Current);
        var router = new BoundedLoadRouter(factor);
        for (var round = 0; round < 20; round++)
        {
            var leases = new ReplicaLease[threads][];
            // Everyone acquires at once, so counts and the total race; nobody releases until all hold.
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
            {
                var random = new Random(round * threads + thread);
                leases[thread] = Enumerable.Range(0, perThread)
                    .Select(_ => router.Acquire(table, random.Next(100_000, 1_000_000)))
                    .ToArray();
            });

            var total = threads * perThread;
            Assert.Equal(total, router.TotalInFlight);
            Assert.Equal(total, table.Replicas.Sum(route => route.InFlight.Value));
            // Every placement saw a total no larger than the final one, so its cap was no larger either.
            Assert.All(table.Replicas, route => Assert.InRange(route.InFlight.Value, 0, Cap(factor, total, table.Replicas.Count)));

            Parallel.ForEach(leases, held => Array.ForEach(held, lease => lease.Dispose()));
            Assert.Equal(0, router.TotalInFlight);
            Assert.All(table.Replicas, route => Assert.Equal(0, route.InFlight.Value));
        }
    }

    [Fact]
    public void AReplicaThatLeavesStopsTakingRequestsAndItsCountDrainsAway()
    {
        var map = new ConsistentHashMap(new RingOptions { Slots = 4096, VirtualServersPerReplica = 40, Hashes = Mix64HashFunctions.Instance });
        map.Add("a");
        map.Add("b");
        map.Add("c");
        var router = new BoundedLoadRouter(1.25);
        var table = TestTables.For(map.Current);
        var b = table.Replicas.Single(route => route.Hostname == "b");
        var before = Enumerable.Range(100_000, 300).Select(id => router.Acquire(table, id)).ToList();
        var onB = before.Count(lease => lease.Route?.Hostname == "b");
        Assert.True(onB > 0);

        map.Remove("b");
        table = TestTables.Carry(table, map.Current);
        var after = Enumerable.Range(200_000, 300).Select(id => router.Acquire(table, id)).ToList();
        Assert.DoesNotContain(after, lease => lease.Route?.Hostname == "b");
        Assert.Equal(600, router.TotalInFlight);
        Assert.Equal(onB, b.InFlight.Value);

        before.ForEach(lease => lease.Dispose());
        after.ForEach(lease => lease.Dispose());
        Assert.Equal(0, router.TotalInFlight);
        Assert.Equal(0, b.InFlight.Value);

        // A replica of the same name that rejoins starts from zero.
        map.Add("b");
        table = TestTables.Carry(table, map.Current);
        using var fresh = router.Acquire(table, 123_456);
        Assert.Equal(fresh.Route?.Hostname == "b" ? 1 : 0, table.Replicas.Single(route => route.Hostname == "b").InFlight.Value);
    }

    [Fact]
    public void AnEmptySnapshotGivesALeaseWithNoReplica()
    {
        var router = new BoundedLoadRouter(1.25);
        using var lease = router.Acquire(TestTables.For(new ConsistentHashMap().Current), 42);
        Assert.Null(lease.Route);
        Assert.Equal(0, router.TotalInFlight);
    }

    [Fact]
    public void ALargeClusterWalksPastTheFirstCandidatesWhenTheyAreFull()
    {
        // With c = 1, 40 replicas and 40 requests on one id, every replica must end up with exactly one.
        var map = new MaglevMap(4099);
        for (var n = 0; n < 40; n++)
        {
            map.Add($"replica-{n}");
        }

        var router = new BoundedLoadRouter(1.0);
        var table = TestTables.For(map.Current);
        var leases = Enumerable.Range(0, 40).Select(_ => router.Acquire(table, 777_777)).ToList();
        Assert.Equal(map.Current.FailoverOrder(777_777), leases.Select(lease => lease.Route!.Hostname));
        leases.ForEach(lease => lease.Dispose());
    }

    [Fact]
    public void AFailoverAttemptCountsOnItsReplicaAndInTheTotalWhateverTheCap()
    {
        var map = new ConsistentHashMap();
        map.Add("a");
        map.Add("b");
        var table = TestTables.For(map.Current);
        var router = new BoundedLoadRouter(1.0);
        var a = table.Replicas[0];

        using (var first = router.Acquire(table, 42))
        using (var second = router.Acquire(first.Route == a ? table.Replicas[1] : a))
        {
            Assert.Equal(2, router.TotalInFlight);
            Assert.All(table.Replicas, route => Assert.Equal(1, route.InFlight.Value));
        }

        Assert.Equal(0, router.TotalInFlight);
        Assert.All(table.Replicas, route => Assert.Equal(0, route.InFlight.Value));
    }
}
