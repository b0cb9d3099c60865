namespace Balancer.Actors.Routing.Health;

/// <summary>
/// When an attempt began and how many answers its replica had given by then: an attempt abandoned while
/// the replica kept answering others is a slow request, not a hung replica.
/// </summary>
public readonly record struct AttemptStart(long Timestamp, long SignsOfLife);
