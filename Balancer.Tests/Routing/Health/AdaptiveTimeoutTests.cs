using Balancer.Actors.Routing.Health;
using FsCheck;
using FsCheck.Xunit;

namespace Balancer.Tests.Routing.Health;

/// <summary>The attempt timeout each replica earns from its own recent latency.</summary>
public sealed class AdaptiveTimeoutTests
{
    private static readonly TimeSpan Full = TimeSpan.FromSeconds(3);

    /// <summary>Answers <paramref name="count"/> attempts that each take <paramref name="latency"/>, then closes the window.</summary>
    private static void Answer(HealthScenario scenario, Actors.Routing.ReplicaRoute route, TimeSpan latency, int count)
    {
        for (var i = 0; i < count; i++)
        {
            scenario.Attempt(route, AttemptOutcome.Answered, latency);
        }

        scenario.Clock.Advance(ReplicaHealthPolicy.LatencyWindow);
        scenario.Attempt(route, AttemptOutcome.Answered, latency);
    }

    [Fact]
    public void Until_a_replica_has_answered_enough_its_attempts_get_the_full_timeout()
    {
        var scenario = new HealthScenario(new HealthOptions { MinLatencySamples = 20 }, Full);
        var route = scenario.Route();

        Answer(scenario, route, TimeSpan.FromMilliseconds(2), 10);

        Assert.Equal(Full, route.Health.AttemptTimeout);
    }

    [Fact]
    public void The_first_estimate_comes_with_the_answers_it_needs_not_at_the_end_of_the_window()
    {
        // A replica that hangs in its first second must not cost its clients the full timeout.
        var scenario = new HealthScenario(new HealthOptions { MinLatencySamples = 20 }, Full);
        var route = scenario.Route();

        for (var i = 0; i < 19; i++)
        {
            scenario.Attempt(route, AttemptOutcome.Answered, TimeSpan.FromMilliseconds(2));
        }

        Assert.Equal(Full, route.Health.AttemptTimeout);
        scenario.Attempt(route, AttemptOutcome.Answered, TimeSpan.FromMilliseconds(2));
        Assert.Equal(TimeSpan.FromMilliseconds(50), route.Health.AttemptTimeout);
    }

    [Fact]
    public void A_fast_replica_gets_the_floor()
    {
        var scenario = new HealthScenario(new HealthOptions(), Full);
        var route = scenario.Route();

        Answer(scenario, route, TimeSpan.FromMilliseconds(2), 100);

        Assert.Equal(TimeSpan.FromMilliseconds(50), route.Health.AttemptTimeout);
    }

    [Fact]
    public void A_replica_that_always_takes_200_ms_gets_at_least_four_times_that()
    {
        var scenario = new HealthScenario(new HealthOptions(), Full);
        var route = scenario.Route();

        Answer(scenario, route, TimeSpan.FromMilliseconds(200), 100);

        Assert.InRange(route.Health.AttemptTimeout, TimeSpan.FromMilliseconds(800), Full);
    }

    [Property(MaxTest = 200)]
    public bool The_timeout_covers_the_multiple_of_a_steady_latency_within_floor_and_cap(PositiveInt micros, byte multipleTenths)
    {
        var latency = TimeSpan.FromMicroseconds(micros.Get % 5_000_000 + 1);
        var multiple = 1 + multipleTenths / 10.0;
        var scenario = new HealthScenario(new HealthOptions { AttemptTimeoutMultiple = multiple }, Full);
        var route = scenario.Route();

        Answer(scenario, route, latency, 30);

        var timeout = route.Health.AttemptTimeout;
        var wanted = latency * multiple;
        return timeout >= TimeSpan.FromMilliseconds(50) && timeout <= Full && timeout >= (wanted < Full ? wanted : Full) &&
            // Rounded up by at most a histogram bucket (x1.5) and a timeout step (x1.19).
            (timeout <= TimeSpan.FromMilliseconds(50) || timeout == Full || timeout <= wanted * 1.5 * 1.2);
    }

    [Property(MaxTest = 300)]
    public bool A_latency_bucket_bounds_it_from_above_by_at_most_half_again(PositiveInt micros)
    {
        var latency = TimeSpan.FromMicroseconds(micros.Get);
        var upper = RecentLatency.UpperBound(RecentLatency.BucketOf(latency));
        return upper >= latency && (micros.Get < 2 || upper <= latency * 1.5 + TimeSpan.FromMicroseconds(1));
    }

    [Fact]
    public void The_p99_ignores_the_slowest_percent()
    {
        Span<long> counts = stackalloc long[64];
        counts[RecentLatency.BucketOf(TimeSpan.FromMilliseconds(1))] = 990;
        counts[RecentLatency.BucketOf(TimeSpan.FromSeconds(2))] = 10;

        Assert.InRange(RecentLatency.Percentile(counts, 1000, 0.99), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1.5));
        Assert.InRange(RecentLatency.Percentile(counts, 1000, 0.995), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void An_attempt_abandoned_by_a_slow_replica_doubles_the_next_timeout_once_however_many_were_abandoned_together()
    {
        var scenario = new HealthScenario(new HealthOptions(), Full);
        var route = scenario.Route();
        Answer(scenario, route, TimeSpan.FromMilliseconds(2), 100);

        var starts = Enumerable.Range(0, 8).Select(_ => route.Health.Start()).ToArray();
        // Others are answered meanwhile: the replica is slow, not hung.
        scenario.Attempt(route, AttemptOutcome.Answered, TimeSpan.FromMilliseconds(50));
        foreach (var start in starts)
        {
            route.Health.Record(AttemptOutcome.Abandoned, start, trial: false);
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), route.Health.AttemptTimeout);
        Assert.Equal(8, route.Health.AbandonedAttempts);
    }

    [Fact]
    public void An_attempt_abandoned_while_the_replica_answered_others_is_no_strike()
    {
        var scenario = new HealthScenario(new HealthOptions(), Full);
        var route = scenario.Route();

        for (var i = 0; i < 10; i++)
        {
            var slow = route.Health.Start();
            scenario.Attempt(route, AttemptOutcome.Answered);
            route.Health.Record(AttemptOutcome.Abandoned, slow, trial: false);
        }

        Assert.False(route.Health.IsEjected);
        Assert.Equal(0, route.Health.FailedAttempts);
    }

    [Fact]
    public void A_hung_replicas_abandoned_attempts_keep_its_timeout_short()
    {
        var scenario = new HealthScenario(new HealthOptions { MaxEjectedPercent = 0 }, Full);
        var route = scenario.Route();
        Answer(scenario, route, TimeSpan.FromMilliseconds(2), 100);

        for (var round = 0; round < 5; round++)
        {
            scenario.Attempt(route, AttemptOutcome.Abandoned, route.Health.AttemptTimeout);
        }

        Assert.Equal(TimeSpan.FromMilliseconds(50), route.Health.AttemptTimeout);
    }

    [Fact]
    public void Attempts_abandoned_while_the_replica_answered_nothing_eject_it()
    {
        var scenario = new HealthScenario(new HealthOptions(), Full);
        var route = scenario.Route();
        Answer(scenario, route, TimeSpan.FromMilliseconds(2), 100);

        var hung = Enumerable.Range(0, 3).Select(_ => route.Health.Start()).ToArray();
        scenario.Clock.Advance(TimeSpan.FromMilliseconds(50));
        var transitions = hung.Select(start => route.Health.Record(AttemptOutcome.Abandoned, start, trial: false)).ToArray();

        Assert.Equal([HealthTransition.None, HealthTransition.None, HealthTransition.Ejected], transitions);
        Assert.Equal(EjectionCause.NoAnswer, route.Health.EjectedFor);
    }

    [Property(MaxTest = 200)]
    public bool Timeout_steps_round_up_within_a_fifth_and_stay_within_floor_and_cap(PositiveInt micros)
    {
        var policy = new ReplicaHealthPolicy(new HealthOptions(), Full);
        var wanted = TimeSpan.FromMicroseconds(micros.Get % 10_000_000);
        var step = policy.Step(wanted);
        var floor = TimeSpan.FromMilliseconds(50);
        return step >= floor && step <= Full && (step >= wanted || step == Full) && (wanted <= floor || step <= wanted * 1.19 + TimeSpan.FromTicks(1));
    }
}
