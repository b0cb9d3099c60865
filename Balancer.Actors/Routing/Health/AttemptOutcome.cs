namespace Balancer.Actors.Routing.Health;

/// <summary>How one forwarded attempt ended, as <see cref="ReplicaHealth.Record"/> judges it.</summary>
public enum AttemptOutcome
{
    /// <summary>The replica answered (any status but a 5xx, or a 5xx when those do not count).</summary>
    Answered,

    /// <summary>The replica answered with a 5xx.</summary>
    ServerError,

    /// <summary>Refused, reset, or the full attempt timeout passed.</summary>
    NoAnswer,

    /// <summary>Given up at the adaptive timeout, so the request could move on to another replica.</summary>
    Abandoned,

    /// <summary>The client went away: says nothing about the replica.</summary>
    Canceled,
}
