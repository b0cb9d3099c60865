namespace ReplicaServer;

/// <summary>
/// The opt-in orphan rule of a replica that outlives the balancer node that started it (cluster mode):
/// with <c>--orphan-after &lt;seconds&gt;</c> (or <c>REPLICA_ORPHAN_AFTER</c>) it exits once no
/// <c>GET /heartbeat</c> has reached it for that long. Whichever node runs the scheduler heartbeats it, so a
/// replica lives through a hand-over but is never orphaned for good. Start-up counts as a heartbeat.
/// </summary>
internal sealed class OrphanWatch(OrphanWatch.Settings settings, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<OrphanWatch> logger)
    : BackgroundService
{
    public const string ArgumentKey = "orphan-after";
    public const string EnvironmentKey = "REPLICA_ORPHAN_AFTER";

    private long lastHeartbeat = time.GetTimestamp();

    /// <param name="After">How long without a heartbeat the replica lives on.</param>
    public sealed record Settings(TimeSpan After);

    /// <summary>The rule from <c>--orphan-after</c> (wins) or <c>REPLICA_ORPHAN_AFTER</c>; null when neither is set.</summary>
    public static Settings? From(IConfiguration configuration)
    {
        var text = configuration[ArgumentKey] is { Length: > 0 } argument ? argument : configuration[EnvironmentKey];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || !double.IsFinite(seconds) || seconds <= 0 || seconds > TimeSpan.FromDays(1).TotalSeconds)
        {
            throw new InvalidOperationException($"--{ArgumentKey} / {EnvironmentKey} must be a number of seconds above 0 (at most a day), got '{text}'.");
        }

        return new Settings(TimeSpan.FromSeconds(seconds));
    }

    /// <summary>Called by the /heartbeat endpoint: lock-free, it is on the heartbeat's path.</summary>
    public void Heartbeat() => Interlocked.Exchange(ref lastHeartbeat, time.GetTimestamp());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A tenth of the limit, 50 ms to 1 s: the exit comes at most that late, and the check costs nothing.
        var every = TimeSpan.FromTicks(Math.Clamp(settings.After.Ticks / 10, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks));
        using var timer = new PeriodicTimer(every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var silence = time.GetElapsedTime(Interlocked.Read(ref lastHeartbeat));
                if (silence >= settings.After)
                {
                    logger.LogWarning("No heartbeat for {Silence:0.0} s (orphan rule: {After} s): no balancer node watches this replica, stopping.",
                        silence.TotalSeconds, settings.After.TotalSeconds);
                    lifetime.StopApplication();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down for another reason.
        }
    }
}
