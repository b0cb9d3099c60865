using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using FsCheck.Xunit;

namespace Balancer.Tests.Routing.Health;

/// <summary>Never more than the configured share of the ring's replicas ejected at once.</summary>
public sealed class EjectionBudgetTests
{
    [Property(MaxTest = 200)]
    public bool The_allowance_is_the_share_rounded_down_but_at_least_one(byte replicas, byte percent)
    {
        var share = percent % 101;
        var allowed = EjectionBudget.Allowed(replicas, share);
        if (share == 0 || replicas == 0)
        {
            return allowed == 0;
        }

        return allowed == Math.Max(1, replicas * share / 100) && allowed <= replicas;
    }

    [Fact]
    public void With_the_default_half_one_of_three_replicas_is_ejected_and_the_second_keeps_routing()
    {
        var scenario = new HealthScenario();
        var table = scenario.Table("S1", "S2", "S3");

        scenario.Fail(table.Replicas[0], 3);
        scenario.Fail(table.Replicas[1], 10);

        Assert.True(table.Replicas[0].Health.IsEjected);
        Assert.False(table.Replicas[1].Health.IsEjected);
        Assert.Equal(1, scenario.Policy.Budget.Ejected);
    }

    [Fact]
    public void A_readmission_frees_the_place_for_another_failing_replica()
    {
        var scenario = new HealthScenario();
        var table = scenario.Table("S1", "S2", "S3");
        scenario.Fail(table.Replicas[0], 3);
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        scenario.Trial(table.Replicas[0], AttemptOutcome.Answered);

        scenario.Fail(table.Replicas[1], 3);

        Assert.True(table.Replicas[1].Health.IsEjected);
        Assert.Equal(1, scenario.Policy.Budget.Ejected);
    }

    [Fact]
    public void Concurrent_failures_on_every_replica_never_eject_more_than_the_budget()
    {
        var scenario = new HealthScenario(new HealthOptions { MaxEjectedPercent = 30 });
        var table = scenario.Table([.. Enumerable.Range(1, 10).Select(i => $"S{i}")]);

        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var route = table.Replicas[i % 10];
            route.Health.Record(AttemptOutcome.NoAnswer, route.Health.Start(), trial: false);
        });

        Assert.Equal(3, table.Replicas.Count(route => route.Health.IsEjected));
        Assert.Equal(3, scenario.Policy.Budget.Ejected);
    }

    [Fact]
    public void Zero_percent_ejects_nothing()
    {
        var scenario = new HealthScenario(new HealthOptions { MaxEjectedPercent = 0 });
        var table = scenario.Table("S1", "S2");

        scenario.Fail(table.Replicas[0], 10);

        Assert.False(table.Replicas[0].Health.IsEjected);
        Assert.IsType<ReplicaRoute>(table.RouteFor(1));
    }
}
