namespace Balancer.Actors.Routing;

/// <summary>Sends every request to the replica the routing strategy hashes it to (no balance factor configured).</summary>
public sealed class HashedRoutePicker : IRoutePicker
{
    public static HashedRoutePicker Instance { get; } = new();

    private HashedRoutePicker()
    {
    }

    public ReplicaLease Acquire(RoutingTable table, long requestId) =>
        table.RouteFor(requestId) is { } route ? Acquire(route) : default;

    public ReplicaLease Acquire(ReplicaRoute route)
    {
        route.InFlight.Increment();
        return new ReplicaLease(route, null);
    }
}
