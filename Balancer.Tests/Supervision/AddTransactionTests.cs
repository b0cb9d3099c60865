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

    private static RunningReplica Replica(string hostname) =>
        new(hostname, new Uri($"http://{hostname.ToLowerInvariant()}:5000"), $"{hostname.ToLowerInvariant()}-1");
}
