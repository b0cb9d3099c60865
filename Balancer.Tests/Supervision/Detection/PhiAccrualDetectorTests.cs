using Balancer.Actors.Supervision.Detection;
using FsCheck.Xunit;

namespace Balancer.Tests.Supervision.Detection;

public sealed class PhiAccrualDetectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Property(MaxTest = 300)]
    public bool PhiNeverFallsAsTheSilenceGrowsAndIsNeverNegativeOrUndefined(int seed)
    {
        var random = new Random(seed);
        var (detector, last) = WithRandomHistory(random, TimeSpan.FromMilliseconds(random.Next(1, 300)));

        var previous = 0.0;
        for (var silence = 0; silence <= 60_000; silence += random.Next(1, 500))
        {
            var phi = detector.Phi(last.AddMilliseconds(silence));
            if (double.IsNaN(phi) || phi < 0 || phi < previous)
            {
                return false;
            }

            previous = phi;
        }

        return true;
    }

    [Property(MaxTest = 300)]
    public bool RightAfterASignOfLifeNothingIsSuspect(int seed)
    {
        var random = new Random(seed);
        var (detector, last) = WithRandomHistory(random, TimeSpan.FromMilliseconds(random.Next(1, 300)));

        // At most log10(2): the silence is never longer than the mean interval yet.
        return detector.Phi(last) <= Math.Log10(2) + 1e-9;
    }

    /// <summary>
    /// With regular signs of life (no spread of their own), the minimum deviation decides: a silence of the
    /// interval plus four deviations is not yet at phi 8, one of six deviations is.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool RegularSignsOfLifeReachPhiEightBetweenFourAndSixMinimumDeviationsLate(int seed)
    {
        var random = new Random(seed);
        var interval = random.Next(10, 2_000);
        var minDeviation = random.Next(10, 500);
        var detector = new PhiAccrualDetector(Start, TimeSpan.FromMilliseconds(random.Next(1, 3_000)), TimeSpan.FromMilliseconds(minDeviation));
        var last = Start;
        for (var sign = 0; sign < PhiAccrualDetector.DefaultMaxSamples; sign++)
        {
            last = last.AddMilliseconds(interval);
            detector.SignOfLife(last);
        }

        return detector.Phi(last.AddMilliseconds(interval + 4 * minDeviation)) < 8 &&
            detector.Phi(last.AddMilliseconds(interval + 6 * minDeviation)) >= 8;
    }

    /// <summary>The adaptive part: a replica heard from irregularly is given more room for the same silence.</summary>
    [Property(MaxTest = 300)]
    public bool TheMoreIrregularTheSignsOfLifeTheLessAlarmingTheSameSilence(int seed)
    {
        var random = new Random(seed);
        var interval = random.Next(200, 2_000);
        var smallJitter = random.Next(0, 100);
        var largeJitter = random.Next(smallJitter, 190);
        var regular = Alternating(interval, smallJitter);
        var irregular = Alternating(interval, largeJitter);
        var silence = interval + random.Next(1, 5_000);

        return irregular.Detector.Phi(irregular.Last.AddMilliseconds(silence)) <= regular.Detector.Phi(regular.Last.AddMilliseconds(silence));
    }

    [Property(MaxTest = 200)]
    public bool OnlyTheLatestSamplesCount(int seed)
    {
        var random = new Random(seed);
        var (withPast, last) = WithRandomHistory(random, TimeSpan.FromMilliseconds(50));
        var fresh = new PhiAccrualDetector(last, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(50));
        var interval = random.Next(10, 1_000);
        for (var sign = 0; sign < PhiAccrualDetector.DefaultMaxSamples; sign++)
        {
            last = last.AddMilliseconds(interval + sign % 7);
            withPast.SignOfLife(last);
            fresh.SignOfLife(last);
        }

        return Enumerable.Range(0, 20).Select(step => last.AddMilliseconds(step * interval / 4.0))
            .All(at => withPast.Phi(at) == fresh.Phi(at) || Math.Abs(withPast.Phi(at) - fresh.Phi(at)) <= 1e-6 * Math.Max(1, fresh.Phi(at)));
    }

    [Fact]
    public void BeforeAnythingIsMeasuredTheExpectedIntervalDecides()
    {
        var detector = new PhiAccrualDetector(Start, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(100));

        Assert.True(detector.Phi(Start.AddMilliseconds(500)) < 1);
        Assert.True(detector.Phi(Start.AddSeconds(2)) >= 8);
    }

    [Fact]
    public void ASignOfLifeNoLaterThanTheLastAddsNothing()
    {
        var detector = new PhiAccrualDetector(Start, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(100));
        detector.SignOfLife(Start.AddMilliseconds(100));
        var before = (detector.MeanInterval, detector.StdDeviation);

        detector.SignOfLife(Start.AddMilliseconds(100));
        detector.SignOfLife(Start.AddMilliseconds(50));

        Assert.Equal(before, (detector.MeanInterval, detector.StdDeviation));
        Assert.Equal(Start.AddMilliseconds(100), detector.LastSignOfLife);
    }

    private static (PhiAccrualDetector Detector, DateTimeOffset Last) WithRandomHistory(Random random, TimeSpan minDeviation)
    {
        var detector = new PhiAccrualDetector(Start, TimeSpan.FromMilliseconds(random.Next(1, 3_000)), minDeviation);
        var last = Start;
        var signs = random.Next(0, 3 * PhiAccrualDetector.DefaultMaxSamples);
        for (var sign = 0; sign < signs; sign++)
        {
            last = last.AddMilliseconds(random.Next(0, 3) == 0 ? random.Next(1, 5_000) : random.Next(1, 200));
            detector.SignOfLife(last);
        }

        return (detector, last);
    }

    private static (PhiAccrualDetector Detector, DateTimeOffset Last) Alternating(int interval, int jitter)
    {
        var detector = new PhiAccrualDetector(Start, TimeSpan.FromMilliseconds(interval), TimeSpan.FromMilliseconds(10));
        var last = Start;
        for (var sign = 0; sign < PhiAccrualDetector.DefaultMaxSamples; sign++)
        {
            last = last.AddMilliseconds(sign % 2 == 0 ? interval - jitter : interval + jitter);
            detector.SignOfLife(last);
        }

        return (detector, last);
    }
}
