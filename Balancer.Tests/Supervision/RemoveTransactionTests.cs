using Akka.Actor;
using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision;

/// <summary>The decisions of an /rm of S1 and S2, event by event, without actors.</summary>
public sealed class RemoveTransactionTests
{
    private readonly RemoveTransaction remove = new(ActorRefs.Nobody, ["S1", "S2"]);

    [Fact]
    public void VictimsLeaveTheSetAndTheRingThenDrainAndTheRemoveCompletesWhenAllStopped()
    {
        Assert.Equal(["retire S1,S2", "leave S1,S2 and report"], StepText.Of(remove.Begin()));
        Assert.Equal(["drain and stop S1,S2"], StepText.Of(remove.OnRingLeft()));
        Assert.Empty(remove.OnStopped("S2"));
        Assert.Equal(["complete"], StepText.Of(remove.OnStopped("S1")));
    }

    [Fact]
    public void VictimThatDiesWhileLeavingIsGoneAndIsNotStoppedAgain()
    {
        remove.Begin();

        Assert.Empty(remove.OnDied(new ReplicaDied("S1", "s1-1", "missed 3 heartbeats in a row")));
        Assert.Equal(["drain and stop S2"], StepText.Of(remove.OnRingLeft()));
        Assert.Equal(["complete"], StepText.Of(remove.OnStopped("S2")));
    }
}
