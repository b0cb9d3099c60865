using Akka.Actor;
using Balancer.Actors.Runtime;
using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision;

/// <summary>The decisions of an /add of A and B, event by event, without actors.</summary>
public sealed class AddTransactionTests
{
    private readonly AddTransaction add = new(ActorRefs.Nobody, ["A", "B"]);

    [Fact]
    public void AllReplicasJoinTheRingTogetherOnceEachServesAndAreThenAdmitted()
    {
        Assert.Equal(["start A,B"], StepText.Of(add.Begin()));
        Assert.Empty(add.OnServing(Replica("B")));
        Assert.Equal(["join B,A"], StepText.Of(add.OnServing(Replica("A"))));
        Assert.Equal(["admit B,A", "complete"], StepText.Of(add.OnRingJoined()));
    }

    [Fact]
    public void ReplicaThatFailsToStartStopsTheOthersAndTheAddFailsOnceTheyAreStopped()
    {
        add.Begin();
        add.OnServing(Replica("A"));

        Assert.Equal(["stop A"], StepText.Of(add.OnFailedToStart(new ReplicaFailedToStart("B", "engine unreachable", null))));
        Assert.Equal(["fail RuntimeFailure: Replica 'B' failed to start: engine unreachable"], StepText.Of(add.OnStopped("A")));
    }

    [Fact]
    public void NameTakenInTheRuntimeIsAConflict()
    {
        add.Begin();
        add.OnFailedToStart(new ReplicaFailedToStart("A", "taken", new ReplicaNameConflictException("a container named 'A' exists")));

        Assert.Equal(["fail NameConflict: a container named 'A' exists"], StepText.Of(add.OnStopped("B")));
    }

    [Fact]
    public void TheFirstFailureIsTheAnswerAndAReplicaThatFailsWhileStoppingIsGoneToo()
    {
        add.Begin();
        add.OnDied(new ReplicaDied("A", "a-1", "exited (crashed)"));

        Assert.Equal(["fail RuntimeFailure: Replica 'A' died while starting: exited (crashed)"],
            StepText.Of(add.OnFailedToStart(new ReplicaFailedToStart("B", "no good heartbeat", null))));
    }

    [Fact]
    public void ReplicaThatDiesBeforeTheRingAnswersUndoesTheWholeJoinThenTheAddFails()
    {
        add.Begin();
        add.OnServing(Replica("A"));
        add.OnServing(Replica("B"));

        Assert.Equal(["stop A"], StepText.Of(add.OnDied(new ReplicaDied("B", "b-1", "missed 3 heartbeats in a row"))));
        Assert.Empty(add.OnStopped("A")); // the ring has not answered: it may still add both
        Assert.Equal(["leave A,B", "fail RuntimeFailure: Replica 'B' died while starting: missed 3 heartbeats in a row"],
            StepText.Of(add.OnRingJoined()));
    }

    [Fact]
    public void RingThatRefusesTheJoinFailsTheAddAsAnInvalidRequest()
    {
        add.Begin();
        add.OnServing(Replica("A"));
        add.OnServing(Replica("B"));

        Assert.Equal(["stop A,B"], StepText.Of(add.OnRingJoinFailed(new InvalidOperationException("the ring is full"))));
        Assert.Empty(add.OnStopped("B"));
        Assert.Equal(["fail InvalidRequest: the ring is full"], StepText.Of(add.OnStopped("A")));
    }

    [Fact]
    public void AnAddServedBySparesOnlyJoinsThemAtOnce()
    {
        var fromSpares = new AddTransaction(ActorRefs.Nobody, [], [Replica("r-spare001"), Replica("r-spare002")]);

        Assert.Equal(["join r-spare001,r-spare002"], StepText.Of(fromSpares.Begin()));
        Assert.Equal(["admit r-spare001,r-spare002", "complete"], StepText.Of(fromSpares.OnRingJoined()));
    }

    [Fact]
    public void SparesJoinWithTheReplicasTheAddStarted()
    {
        var mixed = new AddTransaction(ActorRefs.Nobody, ["A"], [Replica("r-spare001")]);

        Assert.Equal(["start A"], StepText.Of(mixed.Begin()));
        Assert.Equal(["join r-spare001,A"], StepText.Of(mixed.OnServing(Replica("A"))));
        Assert.Equal(["admit r-spare001,A", "complete"], StepText.Of(mixed.OnRingJoined()));
    }

    [Fact]
    public void AFailedAddGivesItsSparesBackInsteadOfStoppingThem()
    {
        var mixed = new AddTransaction(ActorRefs.Nobody, ["A", "B"], [Replica("r-spare001")]);
        mixed.Begin();
        mixed.OnServing(Replica("A"));

        Assert.Equal(["stop A", "give back r-spare001"],
            StepText.Of(mixed.OnFailedToStart(new ReplicaFailedToStart("B", "engine unreachable", null))));
        Assert.Equal(["fail RuntimeFailure: Replica 'B' failed to start: engine unreachable"], StepText.Of(mixed.OnStopped("A")));
    }

    [Fact]
    public void SparesOfAJoinTheRingMayStillMakeGoBackOnlyAfterTheJoinIsUndone()
    {
        var mixed = new AddTransaction(ActorRefs.Nobody, ["A"], [Replica("r-spare001")]);
        mixed.Begin();
        mixed.OnServing(Replica("A"));

        Assert.Empty(mixed.OnDied(new ReplicaDied("A", "a-1", "exited (crashed)")));
        Assert.Equal(["leave r-spare001,A", "give back r-spare001", "fail RuntimeFailure: Replica 'A' died while starting: exited (crashed)"],
            StepText.Of(mixed.OnRingJoined()));
    }

    [Fact]
    public void ASpareThatDiesWhileTheAddHoldsItFailsTheAddAndTheOthersAreStopped()
    {
        var mixed = new AddTransaction(ActorRefs.Nobody, ["A"], [Replica("r-spare001")]);
        mixed.Begin();

        Assert.Equal(["stop A"], StepText.Of(mixed.OnDied(new ReplicaDied("r-spare001", "s-1", "exited (crashed)"))));
        Assert.Equal(["fail RuntimeFailure: Replica 'r-spare001' died while starting: exited (crashed)"], StepText.Of(mixed.OnStopped("A")));
    }

    [Fact]
    public void AtTheDeadlineAJoinInFlightIsUndoneBeforeTheSparesGoBack()
    {
        var mixed = new AddTransaction(ActorRefs.Nobody, ["A"], [Replica("r-spare001")]);
        mixed.Begin();
        mixed.OnServing(Replica("A"));

        Assert.Equal(["leave r-spare001,A", "stop A", "give back r-spare001", "fail TimedOut: The add did not finish within 37 s and was rolled back; nothing was added"],
            StepText.Of(mixed.OnDeadline(TimeSpan.FromSeconds(37))));
    }

    private static RunningReplica Replica(string hostname) =>
        new(hostname, new Uri($"http://{hostname.ToLowerInvariant()}:5000"), $"{hostname.ToLowerInvariant()}-1");
}
