namespace Balancer.Actors.Routing.Health;

/// <summary>
/// The one sink the data path reports to, created before the actor system exists: the supervisor's
/// listener is plugged in once it runs. News before that (or after it is gone) is dropped, which is safe:
/// the supervisor also heartbeats every replica itself.
/// </summary>
public sealed class HealthEventsRelay : IReplicaHealthEvents
{
    private volatile IReplicaHealthEvents? listener;

    /// <summary>Sends every later event to <paramref name="events"/> (replacing an earlier listener).</summary>
    public void Listen(IReplicaHealthEvents events) => listener = events;

    public void Ejected(ReplicaRoute route, EjectionCause cause) => listener?.Ejected(route, cause);

    public void Readmitted(ReplicaRoute route) => listener?.Readmitted(route);
}
