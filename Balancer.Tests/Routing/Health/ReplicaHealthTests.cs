using Balancer.Actors.Routing.Health;
using FsCheck.Xunit;

namespace Balancer.Tests.Routing.Health;

/// <summary>The ejection state machine of one route: strikes, ejection, trial requests, growing ejection time.</summary>
public sealed class ReplicaHealthTests
{
    [Theory]
    [InlineData(AttemptOutcome.NoAnswer, EjectionCause.NoAnswer)]
    [InlineData(AttemptOutcome.ServerError, EjectionCause.ErrorResponses)]
    [InlineData(AttemptOutcome.Abandoned, EjectionCause.NoAnswer)]
    public void A_replica_is_ejected_by_the_configured_number_of_failures_in_a_row(AttemptOutcome failure, EjectionCause cause)
    {
        var scenario = new HealthScenario();
        var route = scenario.Route();

        scenario.Fail(route, 2, failure);
        Assert.False(route.Health.IsEjected);
        Assert.Equal(HealthTransition.Ejected, scenario.Attempt(route, failure));

        Assert.True(route.Health.IsEjected);
        Assert.Equal(cause, route.Health.EjectedFor);
        Assert.Equal((1, 3), (route.Health.Ejections, route.Health.FailedAttempts));
        Assert.Equal(Admission.Skip, route.Health.Admit());
    }

    [Fact]
    public void An_answer_between_failures_starts_the_count_again()
    {
        var scenario = new HealthScenario();
        var route = scenario.Route();

        for (var round = 0; round < 10; round++)
        {
            scenario.Fail(route, 2);
            scenario.Attempt(route, AttemptOutcome.Answered);
        }

        Assert.False(route.Health.IsEjected);
        Assert.Equal((0, 20, 10), (route.Health.Ejections, route.Health.FailedAttempts, route.Health.Answers));
    }

    [Fact]
    public void Server_errors_do_not_eject_when_configured_off_and_count_as_answers()
    {
        var scenario = new HealthScenario(new HealthOptions { EjectOnServerErrors = false });
        var route = scenario.Route();

        scenario.Fail(route, 10, AttemptOutcome.ServerError);

        Assert.False(route.Health.IsEjected);
        Assert.Equal(0, route.Health.FailedAttempts);
    }

    [Fact]
    public void With_health_off_nothing_is_ejected_but_outcomes_are_counted()
    {
        var scenario = new HealthScenario(new HealthOptions { Enabled = false });
        var route = scenario.Route();

        scenario.Fail(route, 10);
        scenario.Attempt(route, AttemptOutcome.Answered);

        Assert.False(route.Health.IsEjected);
        Assert.Equal((10, 1), (route.Health.FailedAttempts, route.Health.Answers));
        Assert.Equal(TimeSpan.FromSeconds(3), route.Health.AttemptTimeout);
        Assert.Equal(Admission.Routable, route.Health.Admit());
    }

    [Fact]
    public void An_ejected_replica_gets_one_trial_request_after_its_ejection_time_and_a_success_readmits_it()
    {
        var scenario = new HealthScenario();
        var route = scenario.Route();
        scenario.Fail(route, 3, AttemptOutcome.ServerError);

        scenario.Clock.Advance(TimeSpan.FromMilliseconds(990));
        Assert.Equal(Admission.Skip, route.Health.Admit());
        scenario.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(Admission.Trial, route.Health.Admit());
        // One trial at a time.
        Assert.Equal(Admission.Skip, route.Health.Admit());

        Assert.Equal(HealthTransition.Readmitted, scenario.Attempt(route, AttemptOutcome.Answered, trial: true));
        Assert.False(route.Health.IsEjected);
        Assert.Null(route.Health.EjectedFor);
        Assert.Equal(1, route.Health.Readmissions);
        Assert.Equal(Admission.Routable, route.Health.Admit());
    }

    [Fact]
    public void An_answer_that_is_not_the_trial_does_not_readmit()
    {
        var scenario = new HealthScenario();
        var route = scenario.Route();
        scenario.Fail(route, 3, AttemptOutcome.ServerError);

        // A request sent before the ejection, or a failover attempt, answers: that is no trial.
        scenario.Attempt(route, AttemptOutcome.Answered);

        Assert.True(route.Health.IsEjected);
        Assert.Equal(0, route.Health.Readmissions);
    }

    [Fact]
    public void A_canceled_trial_frees_the_trial_for_the_next_request()
    {
        var scenario = new HealthScenario();
        var route = scenario.Route();
        scenario.Fail(route, 3);
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));

        scenario.Trial(route, AttemptOutcome.Canceled);

        Assert.True(route.Health.IsEjected);
        Assert.Equal(Admission.Trial, route.Health.Admit());
    }

    [Fact]
    public void Each_failed_trial_doubles_the_ejection_time_up_to_the_cap()
    {
        var scenario = new HealthScenario(new HealthOptions { BaseEjectionTime = TimeSpan.FromSeconds(1), MaxEjectionTime = TimeSpan.FromSeconds(5) });
        var route = scenario.Route();
        scenario.Fail(route, 3);

        foreach (var expected in new[] { 1, 2, 4, 5, 5 })
        {
            // Just before the ejection ends (counted from the failed trial's end) no trial is due.
            scenario.Clock.Advance(TimeSpan.FromSeconds(expected) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(Admission.Skip, route.Health.Admit());
            scenario.Clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(HealthTransition.None, scenario.Trial(route, AttemptOutcome.ServerError));
        }

        Assert.True(route.Health.IsEjected);
        Assert.Equal(1, route.Health.Ejections);
    }

    [Fact]
    public void An_ejection_soon_after_a_readmission_lasts_longer_and_one_after_a_long_good_spell_starts_over()
    {
        var scenario = new HealthScenario(new HealthOptions { BaseEjectionTime = TimeSpan.FromSeconds(1), MaxEjectionTime = TimeSpan.FromSeconds(8) });
        var route = scenario.Route();
        scenario.Fail(route, 3);
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        scenario.Trial(route, AttemptOutcome.Answered);

        scenario.Fail(route, 3);
        scenario.Clock.Advance(TimeSpan.FromMilliseconds(1990));
        Assert.Equal(Admission.Skip, route.Health.Admit());
        scenario.Clock.Advance(TimeSpan.FromMilliseconds(10));
        scenario.Trial(route, AttemptOutcome.Answered);

        scenario.Clock.Advance(TimeSpan.FromSeconds(8));
        scenario.Fail(route, 3);
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Admission.Trial, route.Health.Admit());
        Assert.Equal((3, 2), (route.Health.Ejections, route.Health.Readmissions));
    }

    [Property(MaxTest = 100)]
    public bool The_ejection_time_doubles_from_the_base_and_never_passes_the_cap(byte baseMs, byte capFactor, byte streak)
    {
        var baseTime = TimeSpan.FromMilliseconds(baseMs + 1);
        var cap = baseTime * (capFactor % 40 + 1);
        var policy = new ReplicaHealthPolicy(new HealthOptions { BaseEjectionTime = baseTime, MaxEjectionTime = cap }, TimeSpan.FromSeconds(3));
        var time = policy.EjectionTime(streak % 30);
        var uncapped = baseTime * Math.Pow(2, streak % 30);
        return time == (uncapped < cap ? uncapped : cap);
    }

    [Fact]
    public void A_retired_route_gives_its_place_back_and_is_not_ejected_by_draining_requests()
    {
        var scenario = new HealthScenario();
        var table = scenario.Table("S1", "S2", "S3");
        var s1 = table.Replicas[0];
        scenario.Fail(s1, 3);
        Assert.Equal(1, scenario.Policy.Budget.Ejected);

        s1.Health.Retire();
        scenario.Fail(s1, 3);

        Assert.False(s1.Health.IsEjected);
        Assert.Equal(0, scenario.Policy.Budget.Ejected);
    }
}
