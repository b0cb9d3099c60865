using Balancer.Actors.Routing.Health;

namespace Balancer.Actors.Routing;

/// <summary>
/// Sends every request to the replica the routing strategy hashes it to (no balance factor configured);
/// while that replica is ejected, to the next one clockwise that routes, exactly as failover would.
/// </summary>
public sealed class HashedRoutePicker : IRoutePicker
{
    public static HashedRoutePicker Instance { get; } = new();

    private HashedRoutePicker()
    {
    }

    public ReplicaLease Acquire(RoutingTable table, long requestId)
    {
        if (table.RouteFor(requestId) is not { } route)
        {
            return default;
        }

        switch (route.Health.Admit())
        {
            case Admission.Routable:
                return Acquire(route);
            case Admission.Trial:
                route.InFlight.Increment();
                return new ReplicaLease(route, null, isTrial: true);
            default:
                var admitted = table.AdmittedFor(requestId, out var trial);
                admitted.InFlight.Increment();
                return new ReplicaLease(admitted, null, trial);
        }
    }

    public ReplicaLease Acquire(ReplicaRoute route)
    {
        route.InFlight.Increment();
        return new ReplicaLease(route, null);
    }
}
