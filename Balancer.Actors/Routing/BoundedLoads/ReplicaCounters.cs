namespace Balancer.Actors.Routing;

/// <summary>
/// The in-flight counters of one snapshot's replicas, by replica index, so the hot path reads an array
/// instead of looking hostnames up.
/// </summary>
internal sealed class ReplicaCounters(IRouteSnapshot snapshot, InFlightCounter[] byReplicaIndex)
{
    public IRouteSnapshot Snapshot { get; } = snapshot;

    public InFlightCounter[] ByReplicaIndex { get; } = byReplicaIndex;
}
