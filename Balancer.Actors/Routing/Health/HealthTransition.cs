namespace Balancer.Actors.Routing.Health;

/// <summary>What an attempt's outcome changed about its replica's routing, for the caller to report (<see cref="IReplicaHealthEvents"/>).</summary>
public enum HealthTransition
{
    None,

    /// <summary>Taken out of routing (the cause is <see cref="ReplicaHealth.EjectedFor"/>).</summary>
    Ejected,

    /// <summary>Routes again: its trial request succeeded.</summary>
    Readmitted,
}
