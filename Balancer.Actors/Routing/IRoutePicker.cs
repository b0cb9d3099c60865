namespace Balancer.Actors.Routing;

/// <summary>
/// Chooses the replica a request goes to and counts it in flight there: the hashed replica
/// (<see cref="HashedRoutePicker"/>) or, with a balance factor, the first one under the cap
/// (<see cref="BoundedLoadRouter"/>). Thread-safe; called by every request.
/// </summary>
public interface IRoutePicker
{
    /// <summary>The request's first replica, counted in flight; a lease without a route when the table is empty.</summary>
    ReplicaLease Acquire(RoutingTable table, long requestId);

    /// <summary>Counts a request in flight on a replica the caller chose (a failover attempt).</summary>
    ReplicaLease Acquire(ReplicaRoute route);
}
