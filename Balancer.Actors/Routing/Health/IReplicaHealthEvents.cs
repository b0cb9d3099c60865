namespace Balancer.Actors.Routing.Health;

/// <summary>
/// Where the data path reports what it decided about a replica, so the control plane can act on it (probe
/// at once, replace one that keeps failing). Called on request threads: an implementation only hands the
/// news on (for example as an actor message) and never blocks.
/// </summary>
public interface IReplicaHealthEvents
{
    /// <summary>The replica was taken out of routing.</summary>
    void Ejected(ReplicaRoute route, EjectionCause cause);

    /// <summary>The replica routes again (a trial request succeeded).</summary>
    void Readmitted(ReplicaRoute route);
}
