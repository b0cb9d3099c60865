using Akka.Actor;
using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using Balancer.Actors.Supervision;

namespace Balancer.Web.Cluster;

/// <summary>
/// The data path's health news for the supervisor singleton when it runs on this node: its replica actors
/// watch this node's routes. On the other nodes the news has no one to go to (a dead letter): ejection stays
/// the business of each node's own data path, which routes around an ejected replica by itself.
/// </summary>
internal sealed class LocalSupervisorHealthEvents(ActorSelection supervisor) : IReplicaHealthEvents
{
    public void Ejected(ReplicaRoute route, EjectionCause cause) => supervisor.Tell(new ReplicaEjected(route, cause));

    public void Readmitted(ReplicaRoute route) => supervisor.Tell(new ReplicaReadmitted(route));
}
