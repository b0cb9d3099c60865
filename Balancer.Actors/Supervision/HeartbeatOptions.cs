namespace Balancer.Actors.Supervision;

/// <summary>
/// How replicas are watched. A hung replica is declared dead after <see cref="MissesBeforeDead"/>
/// heartbeats in a row fail, i.e. within about MissesBeforeDead x max(Interval, Timeout).
/// </summary>
public sealed record HeartbeatOptions
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one heartbeat may take before it counts as missed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    public int MissesBeforeDead { get; init; } = 3;

    /// <summary>How long a started replica has to answer its first heartbeat.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        if (Interval <= TimeSpan.Zero || Timeout <= TimeSpan.Zero || StartTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Heartbeat interval, timeout and start timeout must be positive.");
        }

        if (MissesBeforeDead < 1)
        {
            throw new ArgumentException("Heartbeat misses before dead must be at least 1.");
        }
    }
}
