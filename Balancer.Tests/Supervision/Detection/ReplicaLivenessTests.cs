using Balancer.Actors.Supervision;
using Balancer.Actors.Supervision.Detection;
using FsCheck.Xunit;

namespace Balancer.Tests.Supervision.Detection;

/// <summary>The detection rule with the default settings, driven as the replica's actor drives it (see <see cref="LivenessSimulation"/>).</summary>
public sealed class ReplicaLivenessTests
{
    private static readonly HeartbeatOptions Defaults = new();
    private static readonly HeartbeatOptions Fixed = new() { Detector = HangDetector.Fixed };
    private static readonly DateTimeOffset Start = LivenessSimulation.Start;

    /// <summary>
    /// A saturated replica: its heartbeats take anything up to 3 s (most time out), it is ejected now and
    /// then, but its requests are answered, at least every 250 ms. It is never declared dead.
    /// </summary>
    [Property(MaxTest = 100)]
    public bool AReplicaWhoseRequestsAreAnsweredIsNeverDeclaredDeadHoweverSlowItsHeartbeats(int seed)
    {
        var random = new Random(seed);
        var gaps = new Random(seed + 1);
        var nextAnswer = Start;
        var simulation = new LivenessSimulation(Defaults)
        {
            AnswersAt = at =>
            {
                if (at < nextAnswer)
                {
                    return false;
                }

                nextAnswer = at.AddMilliseconds(gaps.Next(10, 250));
                return true;
            },
            HeartbeatTakes = _ => TimeSpan.FromMilliseconds(random.Next(0, 3) == 0 ? random.Next(0, 100) : random.Next(0, 3_000)),
            EjectedAt = random.Next(2) == 0 ? Start.AddMilliseconds(random.Next(0, 60_000)) : null,
        };

        var death = simulation.Run(Start.AddSeconds(60));

        return death is null && simulation.FailedProbes > 0;
    }

    /// <summary>Without traffic, a replica whose heartbeats take up to 600 ms (a CPU-starved moment) is given that time.</summary>
    [Property(MaxTest = 100)]
    public bool AnIdleReplicaSlowToAnswerHeartbeatsWithinTheTimeoutIsNotDeclaredDead(int seed)
    {
        var random = new Random(seed);
        var simulation = new LivenessSimulation(Defaults)
        {
            HeartbeatTakes = _ => TimeSpan.FromMilliseconds(random.Next(0, 4) == 0 ? random.Next(0, 600) : random.Next(0, 20)),
        };

        return simulation.Run(Start.AddSeconds(60)) is null;
    }

    /// <summary>The target: a replica that hangs under traffic, ejected by the data path within 0.2 s, is dead within 1 s.</summary>
    [Property(MaxTest = 200)]
    public bool AReplicaThatHangsUnderTrafficIsDeclaredDeadWithinASecond(int seed)
    {
        var random = new Random(seed);
        var hungAt = Start.AddMilliseconds(random.Next(3_000, 20_000));
        var simulation = new LivenessSimulation(Defaults)
        {
            AnswersAt = at => at < hungAt,
            HeartbeatTakes = sent => AnsweredBefore(hungAt, sent, TimeSpan.FromMilliseconds(random.Next(0, 30))),
            EjectedAt = hungAt.AddMilliseconds(random.Next(0, 200)),
        };

        return simulation.Run(hungAt.AddSeconds(5)) is { } death && death.At - hungAt <= TimeSpan.FromSeconds(1);
    }

    [Property(MaxTest = 200)]
    public bool AReplicaThatHangsWithoutTrafficIsDeclaredDeadWithinOneAndAHalfSeconds(int seed)
    {
        var random = new Random(seed);
        var hungAt = Start.AddMilliseconds(random.Next(3_000, 20_000));
        var simulation = new LivenessSimulation(Defaults)
        {
            HeartbeatTakes = sent => AnsweredBefore(hungAt, sent, TimeSpan.FromMilliseconds(random.Next(0, 30))),
        };

        return simulation.Run(hungAt.AddSeconds(5)) is { } death && death.At - hungAt <= TimeSpan.FromSeconds(1.5) &&
            death.Reason.Contains("heartbeats", StringComparison.Ordinal);
    }

    /// <summary>A hung replica answers nothing after it hangs, a heartbeat sent just before included.</summary>
    private static TimeSpan AnsweredBefore(DateTimeOffset hungAt, DateTimeOffset sent, TimeSpan takes) =>
        sent + takes < hungAt ? takes : TimeSpan.MaxValue;

    [Fact]
    public void TheFixedRuleIgnoresTrafficAndEjectionsAndCountsThreeTimedOutHeartbeats()
    {
        var hungAt = Start.AddSeconds(3);
        var simulation = new LivenessSimulation(Fixed)
        {
            AnswersAt = _ => true,
            HeartbeatTakes = sent => sent < hungAt ? TimeSpan.FromMilliseconds(1) : TimeSpan.MaxValue,
            EjectedAt = hungAt,
        };

        var death = simulation.Run(hungAt.AddSeconds(10));

        Assert.NotNull(death);
        Assert.Equal("missed 3 heartbeats in a row", death.Value.Reason);
        Assert.Equal(3, simulation.FailedProbes);
        // Three probes of the full timeout, one after the other: the rule as it was (about 3.5 s here).
        Assert.InRange(death.Value.At - hungAt, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void AFailedProbeIsNoMissWhenTheReplicaAnsweredTrafficMeanwhile()
    {
        var liveness = new ReplicaLiveness(Defaults, Start);
        liveness.AnswersCounted(10, Start);
        liveness.ProbeSent(Start.AddMilliseconds(100));

        liveness.AnswersCounted(11, Start.AddMilliseconds(200));
        var counted = liveness.ProbeFailed(Start.AddMilliseconds(400));

        Assert.False(counted);
        Assert.Equal(0, liveness.Misses);
    }

    [Fact]
    public void EjectionMakesTheReplicaSuspectUntilItShowsLife()
    {
        var liveness = new ReplicaLiveness(Defaults, Start);
        liveness.AnswersCounted(0, Start);
        Assert.False(liveness.IsSuspect(Start));

        liveness.Ejected();
        Assert.True(liveness.IsSuspect(Start));

        liveness.AnswersCounted(1, Start.AddMilliseconds(100));
        Assert.False(liveness.IsSuspect(Start.AddMilliseconds(100)));
    }

    [Fact]
    public void TheProbeTimeoutStartsAtTheFloorAndDoublesWithEveryMissUpToTheTimeout()
    {
        var liveness = new ReplicaLiveness(Defaults, Start);
        Assert.Equal(TimeSpan.FromMilliseconds(300), liveness.ProbeTimeout);

        liveness.ProbeSent(Start);
        liveness.ProbeFailed(Start.AddMilliseconds(300));
        Assert.Equal(TimeSpan.FromMilliseconds(600), liveness.ProbeTimeout);

        liveness.ProbeSent(Start.AddMilliseconds(300));
        liveness.ProbeFailed(Start.AddMilliseconds(900));
        Assert.Equal(TimeSpan.FromSeconds(1), liveness.ProbeTimeout);

        liveness.ProbeSent(Start.AddMilliseconds(900));
        liveness.ProbeAnswered(Start.AddMilliseconds(905));
        Assert.Equal(TimeSpan.FromMilliseconds(300), liveness.ProbeTimeout);
    }
}
