using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

/// <summary>
/// Parent to child: stop the replica (asked for, so not a death) once the requests in flight on its
/// <paramref name="Route"/> (the one the ring gave back when it left) are done, or the drain timeout is
/// over. Without a route nothing is forwarded to it, so it stops at once.
/// </summary>
public sealed record StopReplica(TimeSpan DrainTimeout, ReplicaRoute? Route = null);

/// <summary>Parent to child: leave the replica running (a container for the next balancer) and stop watching it.</summary>
public sealed record AbandonReplica
{
    public static readonly AbandonReplica Instance = new();
}

/// <summary>Child to parent: the replica answered its first heartbeat.</summary>
public sealed record ReplicaServing(RunningReplica Replica);

/// <summary>Child to parent: the replica never served; whatever was launched is already stopped.</summary>
public sealed record ReplicaFailedToStart(string Hostname, string Reason, Exception? Cause);

/// <summary>Child to parent, once per replica: it served and then exited or stopped answering heartbeats.</summary>
public sealed record ReplicaDied(string Hostname, string InstanceId, string Reason);

/// <summary>Child to parent: a stop asked for is done.</summary>
public sealed record ReplicaStopped(string Hostname);

/// <summary>
/// Parent to child, after every ring change: the route requests reach the replica by. The answers it
/// counts are signs of life (read by the actor itself: no clock shared with request threads), and the data
/// path's news about it (<see cref="RouteEjected"/>) is about this very object.
/// </summary>
public sealed record WatchRoute(ReplicaRoute Route);

/// <summary>Parent to child: the data path took the replica's route out of routing (probe now; replace it if it stays out).</summary>
public sealed record RouteEjected(ReplicaRoute Route, EjectionCause Cause);

/// <summary>Parent to child: the data path routes to the replica again (a trial request succeeded).</summary>
public sealed record RouteReadmitted(ReplicaRoute Route);
