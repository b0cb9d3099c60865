using Akka.Actor;
using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;

namespace Balancer.Actors.Supervision;

/// <summary>
/// The data path's health news as messages to the supervisor: called on request threads, so it only tells
/// (never blocks, never waits). Plugged into the <see cref="HealthEventsRelay"/> once the supervisor runs.
/// </summary>
public sealed class SupervisorHealthEvents(IActorRef supervisor) : IReplicaHealthEvents
{
    public void Ejected(ReplicaRoute route, EjectionCause cause) => supervisor.Tell(new ReplicaEjected(route, cause));

    public void Readmitted(ReplicaRoute route) => supervisor.Tell(new ReplicaReadmitted(route));
}
