using Akka.Actor;
using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;

namespace Balancer.Actors.Supervision;

/// <summary>
/// The supervisor's part in watching replicas through their traffic: each replica's actor is handed the
/// route the ring made for it, and the data path's ejections and readmissions (told by
/// <see cref="SupervisorHealthEvents"/>) go on to the actor of that route, which probes, and replaces a
/// replica that stays ejected.
/// </summary>
public sealed partial class ReplicaSupervisor
{
    private void ReactToRouteHealth()
    {
        Receive<ReplicaEjected>(ejected => TellActorOf(ejected.Route, new RouteEjected(ejected.Route, ejected.Cause)));
        Receive<ReplicaReadmitted>(readmitted => TellActorOf(readmitted.Route, new RouteReadmitted(readmitted.Route)));
    }

    /// <summary>
    /// Hands every replica in the table its route (the ring keeps one object per replica while it stays, so
    /// an actor that has it already ignores it). Only to the replica at that address: a route left over from
    /// an earlier replica of the same name is not the new one's.
    /// </summary>
    private void WatchRoutes(RoutingTable table)
    {
        foreach (var route in table.Replicas)
        {
            if (registry.TryGet(route.Hostname, out var entry) && entry.Replica?.Address == route.Address)
            {
                entry.Actor.Tell(new WatchRoute(route));
            }
        }
    }

    /// <summary>The actor compares the route with the one it watches, so news of a replica that is gone is dropped there.</summary>
    private void TellActorOf(ReplicaRoute route, object news)
    {
        if (registry.TryGet(route.Hostname, out var entry))
        {
            entry.Actor.Tell(news);
        }
    }
}

/// <summary>The data path took a replica out of routing (told from a request thread).</summary>
public sealed record ReplicaEjected(ReplicaRoute Route, EjectionCause Cause);

/// <summary>The data path routes to a replica again (told from a request thread).</summary>
public sealed record ReplicaReadmitted(ReplicaRoute Route);
