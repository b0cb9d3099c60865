using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using FsCheck.Xunit;

namespace Balancer.Tests.Routing.Health;

/// <summary>The pickers and the failover walk around an ejected replica.</summary>
public sealed class EjectedRoutingTests
{
    private static readonly string[] Names = ["S1", "S2", "S3", "S4", "S5"];

    [Property(MaxTest = 30)]
    public bool An_ejected_replicas_ids_go_to_the_next_replica_clockwise_and_every_other_id_keeps_its_replica(int seed)
    {
        var scenario = new HealthScenario();
        var table = scenario.Table(Names);
        var ejected = table.Replicas[(int)((uint)seed % Names.Length)];
        scenario.Fail(ejected, 3);

        return RequestIdSamples.For(seed).All(id =>
        {
            using var lease = HashedRoutePicker.Instance.Acquire(table, id);
            var order = table.Snapshot.FailoverOrder(id);
            var expected = order[0] == ejected.Hostname ? order[1] : order[0];
            return lease.Route!.Hostname == expected && !lease.IsTrial;
        });
    }

    [Fact]
    public void The_first_request_after_the_ejection_time_is_the_trial_and_the_next_goes_around()
    {
        var scenario = new HealthScenario();
        var table = scenario.Table(Names);
        var ejected = table.Replicas[0];
        scenario.Fail(ejected, 3);
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        var ids = RequestIdSamples.For(7).Where(id => table.RouteFor(id) == ejected).Take(2).ToArray();

        using var trial = HashedRoutePicker.Instance.Acquire(table, ids[0]);
        using var next = HashedRoutePicker.Instance.Acquire(table, ids[1]);

        Assert.Same(ejected, trial.Route);
        Assert.True(trial.IsTrial);
        Assert.NotSame(ejected, next.Route);
        Assert.False(next.IsTrial);
    }

    [Fact]
    public void When_every_replica_is_ejected_requests_route_as_if_none_were()
    {
        var scenario = new HealthScenario(new HealthOptions { MaxEjectedPercent = 100 });
        var table = scenario.Table("S1", "S2");
        scenario.Fail(table.Replicas[0], 3);
        scenario.Fail(table.Replicas[1], 3);

        Assert.All(RequestIdSamples.For(3).Take(200), id =>
        {
            using var lease = HashedRoutePicker.Instance.Acquire(table, id);
            Assert.Same(table.RouteFor(id), lease.Route);
        });
    }

    [Fact]
    public void Failover_tries_an_ejected_replica_only_after_every_other_one()
    {
        var scenario = new HealthScenario();
        var table = scenario.Table("S1", "S2", "S3", "S4");
        const long id = 132_574;
        var order = table.Snapshot.FailoverOrder(id).Select(name => table.Replicas.Single(route => route.Hostname == name)).ToArray();
        scenario.Fail(order[1], 3);

        var tried = new List<ReplicaRoute> { order[0] };
        while (table.NextUntried(id, tried.ToArray()) is { } next)
        {
            tried.Add(next);
        }

        Assert.Equal([order[0], order[2], order[3], order[1]], tried);
    }

    [Property(MaxTest = 30)]
    public bool Bounded_loads_never_places_a_request_on_an_ejected_replica_while_others_route(int seed)
    {
        var scenario = new HealthScenario();
        var table = scenario.Table(Names);
        var ejected = table.Replicas[(int)((uint)seed % Names.Length)];
        scenario.Fail(ejected, 3);
        var router = new BoundedLoadRouter(1.25);
        var leases = RequestIdSamples.For(seed).Take(300).Select(id => router.Acquire(table, id)).ToList();

        var placed = leases.All(lease => lease.Route != ejected);
        // With the ejected replica out of N, the cap still lets the four others hold every request.
        var cap = router.Cap(leases.Count, Names.Length - 1);
        var underCap = table.Replicas.Where(route => route != ejected).All(route => route.InFlight.Value <= cap);
        leases.ForEach(lease => lease.Dispose());
        return placed && underCap;
    }
}
