namespace Balancer.Actors.Supervision;

/// <summary>
/// Delay before the next attempt to replace a replica after consecutive failures: none after the first
/// failure (a single crash is replaced at once), then Initial, 2 x Initial, ... capped at Max.
/// </summary>
public sealed record BackoffPolicy
{
    public TimeSpan Initial { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan Max { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A replica that served this long before dying ends a crash loop.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <exception cref="ArgumentException">A setting is not positive, or the cap is under the first delay.</exception>
    public void Validate()
    {
        if (Initial <= TimeSpan.Zero || Max < Initial || StableAfter <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                "Balancer:Backoff needs a positive Initial, a Max of at least Initial and a positive StableAfter.");
        }
    }

    public TimeSpan DelayAfter(int consecutiveFailures)
    {
        if (consecutiveFailures <= 1)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(consecutiveFailures - 2, 20);
        var delay = Initial * Math.Pow(2, exponent);
        return delay < Max ? delay : Max;
    }
}
