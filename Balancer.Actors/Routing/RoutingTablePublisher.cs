namespace Balancer.Actors.Routing;

/// <summary>
/// Hands the RingActor's latest <see cref="RoutingTable"/> to request threads without a mailbox hop:
/// one volatile reference, written by the actor, read by anyone (YARP's ClusterState idiom).
/// </summary>
public sealed class RoutingTablePublisher(RoutingTable initial)
{
    private volatile RoutingTable current = initial;

    public RoutingTable Current => current;

    /// <summary>Called by the single writer (the RingActor in the balancer).</summary>
    public void Publish(RoutingTable table) => current = table;
}
