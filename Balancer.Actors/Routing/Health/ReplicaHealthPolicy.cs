namespace Balancer.Actors.Routing.Health;

/// <summary>
/// What every route of one ring judges its replica by: the options, the clock, the full attempt timeout
/// an adaptive one may not exceed, and the ring's <see cref="EjectionBudget"/>. The RingActor gives it to
/// each route it creates; <see cref="Off"/> (the default of a bare route) only counts.
/// </summary>
public sealed class ReplicaHealthPolicy
{
    /// <summary>One window of the recent-latency estimate; its p99 covers the last one to two windows.</summary>
    internal static readonly TimeSpan LatencyWindow = TimeSpan.FromSeconds(1);

    // Adaptive timeouts take only the values floor x 2^(k/4) (19% apart), so a timeout changes only when the
    // latency changed noticeably, and the forwarder needs one request configuration per value, not per request.
    private const double TimeoutStepsPerDoubling = 4;

    public ReplicaHealthPolicy(HealthOptions options, TimeSpan attemptTimeout, TimeProvider? time = null)
    {
        options.Validate();
        if (attemptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(attemptTimeout), attemptTimeout, "The attempt timeout must be positive.");
        }

        Options = options;
        AttemptTimeout = attemptTimeout;
        Time = time ?? TimeProvider.System;
        Budget = new EjectionBudget(options.MaxEjectedPercent);
    }

    /// <summary>Counts outcomes and nothing more: no ejection, always the full attempt timeout.</summary>
    public static ReplicaHealthPolicy Off { get; } = new(new HealthOptions { Enabled = false }, TimeSpan.FromSeconds(3));

    public HealthOptions Options { get; }

    public bool Enabled => Options.Enabled;

    /// <summary>The configured (full) attempt timeout: the longest an adaptive one gets, and the one of a request's last attempt.</summary>
    public TimeSpan AttemptTimeout { get; }

    public TimeProvider Time { get; }

    public EjectionBudget Budget { get; }

    /// <summary>The adaptive timeout for a replica whose recent p99 is <paramref name="p99"/>: max(floor, multiple x p99), rounded up to a step, capped.</summary>
    public TimeSpan TimeoutFor(TimeSpan p99) => Step(p99 * Options.AttemptTimeoutMultiple);

    /// <summary><paramref name="wanted"/> rounded up to the next step from the floor, within [floor, full timeout].</summary>
    internal TimeSpan Step(TimeSpan wanted)
    {
        var floor = Options.AttemptTimeoutFloor;
        if (wanted <= floor)
        {
            return floor < AttemptTimeout ? floor : AttemptTimeout;
        }

        if (wanted >= AttemptTimeout)
        {
            return AttemptTimeout;
        }

        var steps = Math.Ceiling(TimeoutStepsPerDoubling * Math.Log2(wanted / floor) - 1e-9);
        var stepped = floor * Math.Pow(2, steps / TimeoutStepsPerDoubling);
        return stepped < AttemptTimeout ? stepped : AttemptTimeout;
    }

    /// <summary>How long an ejection lasts after <paramref name="streak"/> earlier ones in a row: doubling from the base, capped.</summary>
    public TimeSpan EjectionTime(int streak)
    {
        var ejection = Options.BaseEjectionTime;
        for (var i = 0; i < streak && ejection < Options.MaxEjectionTime; i++)
        {
            ejection *= 2;
        }

        return ejection < Options.MaxEjectionTime ? ejection : Options.MaxEjectionTime;
    }

    /// <summary>A duration in the clock's timestamp units.</summary>
    internal long Timestamps(TimeSpan duration) => (long)(duration.Ticks * (double)Time.TimestampFrequency / TimeSpan.TicksPerSecond);
}
