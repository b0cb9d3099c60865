namespace Balancer.Actors.Supervision;

/// <summary>
/// What the supervisor did, counted since start-up, for the metrics to export. Written only by the
/// supervisor and its replica actors, read from any thread.
/// </summary>
public sealed class SupervisorCounters
{
    private long replacements;
    private long failedStarts;
    private long heartbeatFailures;
    private long declaredDead;
    private long replacedForFailingRequests;
    private long sparePromotions;

    /// <summary>Replicas started to replace one that died or failed to start.</summary>
    public long Replacements => Interlocked.Read(ref replacements);

    /// <summary>Replicas that never served (launch failed, no good heartbeat in time, exited first).</summary>
    public long FailedStarts => Interlocked.Read(ref failedStarts);

    /// <summary>Heartbeats that failed or were not answered in time.</summary>
    public long HeartbeatFailures => Interlocked.Read(ref heartbeatFailures);

    /// <summary>Replicas that served and were then declared dead (exited, stopped answering, or kept failing requests).</summary>
    public long DeclaredDead => Interlocked.Read(ref declaredDead);

    /// <summary>Of those, replicas replaced because they kept failing requests while passing heartbeats.</summary>
    public long ReplacedForFailingRequests => Interlocked.Read(ref replacedForFailingRequests);

    /// <summary>Warm spares that took a dead replica's place or served an /add.</summary>
    public long SparePromotions => Interlocked.Read(ref sparePromotions);

    internal void CountReplacement() => Interlocked.Increment(ref replacements);

    internal void CountFailedStart() => Interlocked.Increment(ref failedStarts);

    internal void CountHeartbeatFailure() => Interlocked.Increment(ref heartbeatFailures);

    internal void CountDeclaredDead() => Interlocked.Increment(ref declaredDead);

    internal void CountReplacedForFailingRequests() => Interlocked.Increment(ref replacedForFailingRequests);

    internal void CountSparePromotion() => Interlocked.Increment(ref sparePromotions);
}
