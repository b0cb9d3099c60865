namespace Balancer.Actors.Supervision.Detection;

/// <summary>
/// The phi accrual failure detector (Hayashibara et al., as Akka's cluster uses it) over the times a replica
/// showed it is alive. It remembers the last intervals between signs of life and says how unlikely the
/// current silence is for this replica: phi = -log10(P(an interval at least this long)), the intervals taken
/// as normally distributed. Phi 1 means a 10 % chance, 8 one in 10^8. So the same silence is alarming for a
/// replica heard from every 100 ms and ordinary for one heard from every 2 s, and a replica whose answers
/// come irregularly (a loaded one) is given more room. Pure and single threaded: one replica's actor owns it.
/// </summary>
public sealed class PhiAccrualDetector
{
    /// <summary>About 10 s of history under traffic (a sign of life per traffic check), 50 s without: it follows a change of load within seconds.</summary>
    public const int DefaultMaxSamples = 100;

    private readonly double[] intervals;
    private readonly double minStdDeviation;
    private int count;
    private int next;

    /// <param name="start">The first sign of life (the replica's first answered heartbeat).</param>
    /// <param name="expectedInterval">The interval expected before any is measured (the heartbeat interval).</param>
    /// <param name="minStdDeviation">The least spread assumed, so near-regular signs of life do not make a hiccup look fatal.</param>
    /// <param name="maxSamples">How many of the latest intervals count.</param>
    public PhiAccrualDetector(DateTimeOffset start, TimeSpan expectedInterval, TimeSpan minStdDeviation, int maxSamples = DefaultMaxSamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSamples, 2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expectedInterval, TimeSpan.Zero);
        intervals = new double[maxSamples];
        this.minStdDeviation = minStdDeviation.TotalMilliseconds;
        // Seeded as Akka seeds it: the expected interval with a spread of a quarter of it, so the first silence
        // is judged before anything is measured, and the measured intervals soon outweigh the guess.
        var expected = expectedInterval.TotalMilliseconds;
        Add(expected * 0.75);
        Add(expected * 1.25);
        LastSignOfLife = start;
    }

    public DateTimeOffset LastSignOfLife { get; private set; }

    /// <summary>The mean interval between signs of life, in the remembered history.</summary>
    public TimeSpan MeanInterval => TimeSpan.FromMilliseconds(Mean());

    /// <summary>The spread phi assumes: the history's standard deviation, at least the configured minimum.</summary>
    public TimeSpan StdDeviation => TimeSpan.FromMilliseconds(Deviation(Mean()));

    /// <summary>The replica showed it is alive at <paramref name="at"/>. One at the same instant as the last adds nothing.</summary>
    public void SignOfLife(DateTimeOffset at)
    {
        if (at <= LastSignOfLife)
        {
            return;
        }

        Add((at - LastSignOfLife).TotalMilliseconds);
        LastSignOfLife = at;
    }

    /// <summary>How abnormal the silence since the last sign of life is at <paramref name="now"/>: 0 (not at all) to infinity.</summary>
    public double Phi(DateTimeOffset now)
    {
        var silence = Math.Max(0, (now - LastSignOfLife).TotalMilliseconds);
        var mean = Mean();
        var y = (silence - mean) / Deviation(mean);
        // The logistic approximation of the normal distribution's tail that Akka's detector uses,
        // written so that neither branch overflows: e is below 1 where the silence is longer than the mean.
        var e = Math.Exp(-y * (1.5976 + 0.070566 * y * y));
        return silence > mean ? -Math.Log10(e / (1 + e)) : -Math.Log10(1 - 1 / (1 + e));
    }

    private void Add(double interval)
    {
        intervals[next] = interval;
        next = (next + 1) % intervals.Length;
        count = Math.Min(count + 1, intervals.Length);
    }

    // Computed from the remembered intervals each time (a hundred additions, ten times a second) rather than
    // kept as running sums, which would drift over weeks of samples.
    private double Mean()
    {
        var sum = 0.0;
        for (var index = 0; index < count; index++)
        {
            sum += intervals[index];
        }

        return sum / count;
    }

    private double Deviation(double mean)
    {
        var squares = 0.0;
        for (var index = 0; index < count; index++)
        {
            var difference = intervals[index] - mean;
            squares += difference * difference;
        }

        return Math.Max(Math.Sqrt(squares / count), minStdDeviation);
    }
}
