namespace Balancer.Actors.Supervision.Detection;

/// <summary>
/// How long a replica's next heartbeat may take: a multiple of the slowest of its recent heartbeat round
/// trips, at least a floor and at most a cap. A replica that answers in 1 ms is given the floor (a hang is
/// noticed soon); one that needs 150 ms under load is given 600 ms, so slowness alone is not a miss. Only
/// answered heartbeats are measured: a timeout says nothing about how long the answer would have taken.
/// Pure and single threaded.
/// </summary>
public sealed class AdaptiveProbeTimeout(TimeSpan floor, TimeSpan cap, double multiple, int samples = AdaptiveProbeTimeout.DefaultSamples)
{
    /// <summary>With a heartbeat every 0.5 s, the last 10 s: a load that slowed the replica is remembered that long.</summary>
    public const int DefaultSamples = 20;

    private readonly Queue<TimeSpan> recent = new();

    public TimeSpan Current
    {
        get
        {
            var slowest = recent.Count == 0 ? TimeSpan.Zero : recent.Max();
            var wanted = TimeSpan.FromTicks((long)Math.Min(slowest.Ticks * multiple, TimeSpan.MaxValue.Ticks / 2.0));
            // The cap wins over the floor: it is the configured most a heartbeat may take.
            return wanted < floor ? Min(floor, cap) : Min(wanted, cap);
        }
    }

    public void Answered(TimeSpan roundTrip)
    {
        recent.Enqueue(roundTrip < TimeSpan.Zero ? TimeSpan.Zero : roundTrip);
        if (recent.Count > samples)
        {
            recent.Dequeue();
        }
    }

    private static TimeSpan Min(TimeSpan left, TimeSpan right) => left < right ? left : right;
}
