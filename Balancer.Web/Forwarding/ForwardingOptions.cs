namespace Balancer.Web.Forwarding;

/// <summary>Failover of one request, bound from <c>Balancer:Forwarding</c>.</summary>
internal sealed record ForwardingOptions
{
    /// <summary>Replicas tried for one request: the one the ring picks, then the next distinct ones clockwise.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>How long one attempt may wait for the replica before the next replica is tried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(3);
}
