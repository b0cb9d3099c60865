namespace Balancer.Actors.Routing.Health;

/// <summary>
/// Passive health on the data path, bound from <c>Balancer:Health</c>: which attempt outcomes count
/// against a replica, when it is ejected and for how long, and how long an attempt may take before the
/// request moves on. With <see cref="Enabled"/> false the balancer routes and fails over exactly as it
/// did before health tracking (no ejection, one fixed attempt timeout, 5xx passed through).
/// </summary>
public sealed record HealthOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Failed attempts in a row that eject a replica. 3: one refused connection or one 500 is often a
    /// replica restarting or a pooled connection to a port that moved, while three in a row are a pattern;
    /// at a few hundred requests a second three failures take milliseconds, so ejection stays well
    /// within the 1 s.
    /// </summary>
    public int ConsecutiveFailures { get; init; } = 3;

    /// <summary>Whether a 5xx answer counts as a failed attempt (and can eject), as Envoy's consecutive 5xx does.</summary>
    public bool EjectOnServerErrors { get; init; } = true;

    /// <summary>Whether a GET answered with a 5xx is retried on the next replica (the client sees the good answer).</summary>
    public bool RetryServerErrors { get; init; } = true;

    /// <summary>
    /// How long the first ejection lasts before a trial request may readmit the replica. 1 s, not
    /// Envoy's 30 s: replicas here are local processes that are replaced within a second when they die,
    /// so a long ejection mostly punishes a replica that had a short stall; one that keeps failing pays
    /// with a growing time instead.
    /// </summary>
    public TimeSpan BaseEjectionTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The cap of the ejection time, which doubles with every failed trial and every ejection soon after a
    /// readmission; a replica that stays readmitted this long starts again from <see cref="BaseEjectionTime"/>.
    /// </summary>
    public TimeSpan MaxEjectionTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most replicas ejected at once, as a share of the ring (rounded down, but at least one). 50:
    /// losing more than half the replicas to passive ejection points at something shared (the network, the
    /// balancer itself, a dependency), where ejecting more only piles the load onto fewer replicas. When
    /// every replica of the table is ejected anyway (the ring shrank), requests route as if none were.
    /// </summary>
    public int MaxEjectedPercent { get; init; } = 50;

    /// <summary>
    /// The shortest adaptive attempt timeout. 50 ms: far above a healthy local replica's p99 (a few ms),
    /// so scheduling noise on a busy machine is not mistaken for a hang, and short enough that a hung
    /// replica costs its clients tens of milliseconds, within the 250 ms p99.
    /// </summary>
    public TimeSpan AttemptTimeoutFloor { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// An attempt that may be retried elsewhere is abandoned after max(floor, this x the replica's recent
    /// p99), capped by <c>Forwarding:AttemptTimeout</c>. 4 (TCP's retransmission timeout adds four
    /// deviations): a replica that always takes 200 ms gets 800 ms, and queueing under load that doubles
    /// the latency still fits.
    /// </summary>
    public double AttemptTimeoutMultiple { get; init; } = 4;

    /// <summary>
    /// Answers in the recent window (the last 1-2 s) before its p99 sets the timeout; until then an attempt
    /// gets the full configured timeout. 20: enough that the p99 is close to the slowest answer seen (so it
    /// errs long), few enough that a replica is judged within its first second of ordinary traffic.
    /// </summary>
    public int MinLatencySamples { get; init; } = 20;

    public void Validate()
    {
        if (ConsecutiveFailures < 1)
        {
            throw new ArgumentException($"Balancer:Health:ConsecutiveFailures must be at least 1, got {ConsecutiveFailures}.");
        }

        if (BaseEjectionTime <= TimeSpan.Zero || MaxEjectionTime < BaseEjectionTime)
        {
            throw new ArgumentException(
                $"Balancer:Health:BaseEjectionTime must be positive and MaxEjectionTime at least as long, got {BaseEjectionTime} and {MaxEjectionTime}.");
        }

        if (MaxEjectedPercent is < 0 or > 100)
        {
            throw new ArgumentException($"Balancer:Health:MaxEjectedPercent must be between 0 and 100, got {MaxEjectedPercent}.");
        }

        if (AttemptTimeoutFloor <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Balancer:Health:AttemptTimeoutFloor must be positive, got {AttemptTimeoutFloor}.");
        }

        if (!(AttemptTimeoutMultiple >= 1 && double.IsFinite(AttemptTimeoutMultiple)))
        {
            throw new ArgumentException($"Balancer:Health:AttemptTimeoutMultiple must be a finite number of at least 1, got {AttemptTimeoutMultiple}.");
        }

        if (MinLatencySamples < 1)
        {
            throw new ArgumentException($"Balancer:Health:MinLatencySamples must be at least 1, got {MinLatencySamples}.");
        }
    }
}
