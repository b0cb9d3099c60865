namespace Balancer.Actors.Supervision;

/// <summary>
/// Counts the replacements that failed in a row (a start that failed, a replica that died before it was
/// stable) and says how long the next start waits, so a crash loop never becomes a tight loop.
/// </summary>
internal sealed class CrashBackoff(BackoffPolicy policy)
{
    public int ConsecutiveFailures { get; private set; }

    /// <summary>No replacement starts before this.</summary>
    public DateTimeOffset NoStartBefore { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>A replica never served: one more failure in a row. Returns the delay before the next start.</summary>
    public TimeSpan FailedToStart(DateTimeOffset now)
    {
        ConsecutiveFailures++;
        return Delay(now);
    }

    /// <summary>A replica (or a ready spare) died: one more failure in a row if it was young, else the first of a new run.</summary>
    public TimeSpan Died(ReplicaEntry entry, DateTimeOffset now)
    {
        var diedYoung = entry.Phase is not (ReplicaPhase.Serving or ReplicaPhase.Spare) || now - entry.ServingSince < policy.StableAfter;
        ConsecutiveFailures = diedYoung ? ConsecutiveFailures + 1 : 1;
        return Delay(now);
    }

    /// <summary>A replica served for <see cref="BackoffPolicy.StableAfter"/>: the run of failures is over.</summary>
    public void Stable() => ConsecutiveFailures = 0;

    private TimeSpan Delay(DateTimeOffset now)
    {
        var delay = policy.DelayAfter(ConsecutiveFailures);
        NoStartBefore = now + delay;
        return delay;
    }
}
