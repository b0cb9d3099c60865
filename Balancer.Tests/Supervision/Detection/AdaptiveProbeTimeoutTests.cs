using Balancer.Actors.Supervision.Detection;
using FsCheck.Xunit;

namespace Balancer.Tests.Supervision.Detection;

public sealed class AdaptiveProbeTimeoutTests
{
    [Property(MaxTest = 300)]
    public bool TheTimeoutCoversTheSlowestRecentRoundTripsWithinFloorAndCap(int seed)
    {
        var random = new Random(seed);
        var floor = TimeSpan.FromMilliseconds(random.Next(1, 500));
        var cap = TimeSpan.FromMilliseconds(random.Next(1, 3_000));
        var multiple = 1 + random.NextDouble() * 5;
        var timeout = new AdaptiveProbeTimeout(floor, cap, multiple);
        var answered = new List<TimeSpan>();

        for (var probe = 0; probe < 60; probe++)
        {
            var roundTrip = TimeSpan.FromMilliseconds(random.Next(0, 3) == 0 ? random.Next(0, 2_000) : random.Next(0, 20));
            timeout.Answered(roundTrip);
            answered.Add(roundTrip);

            var slowest = answered.TakeLast(AdaptiveProbeTimeout.DefaultSamples).Max();
            var wanted = TimeSpan.FromTicks((long)(slowest.Ticks * multiple));
            var expected = wanted < floor ? floor : wanted;
            if (expected > cap)
            {
                expected = cap;
            }

            if (Math.Abs((timeout.Current - expected).Ticks) > 1)
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public void AFastReplicaGetsTheFloorAndASlowOneItsOwnPaceUpToTheCap()
    {
        var timeout = new AdaptiveProbeTimeout(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1), 4);
        Assert.Equal(TimeSpan.FromMilliseconds(300), timeout.Current);

        timeout.Answered(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(300), timeout.Current);

        timeout.Answered(TimeSpan.FromMilliseconds(150));
        Assert.Equal(TimeSpan.FromMilliseconds(600), timeout.Current);

        timeout.Answered(TimeSpan.FromMilliseconds(400));
        Assert.Equal(TimeSpan.FromSeconds(1), timeout.Current);
    }

    [Fact]
    public void ASlowAnswerIsForgottenAfterTheLatestSamples()
    {
        var timeout = new AdaptiveProbeTimeout(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1), 4);
        timeout.Answered(TimeSpan.FromMilliseconds(200));

        for (var probe = 0; probe < AdaptiveProbeTimeout.DefaultSamples; probe++)
        {
            timeout.Answered(TimeSpan.FromMilliseconds(2));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(300), timeout.Current);
    }
}
