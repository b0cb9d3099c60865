using Balancer.Actors.Routing.Health;

namespace Balancer.Actors.Routing;

/// <summary>
/// One replica as request threads see it: where it is and what it carries now. The RingActor creates it
/// when the replica joins, hands the same instance to every routing table while the replica stays, and
/// gives it back when the replica leaves, so everything that counts or judges a replica (the forwarder,
/// bounded loads, drain) reads this one object instead of tables keyed by its name (YARP's DestinationState).
/// </summary>
/// <param name="health">How its health is judged; without one the route only counts outcomes (<see cref="ReplicaHealthPolicy.Off"/>).</param>
public sealed class ReplicaRoute(string hostname, Uri address, ReplicaHealthPolicy? health = null)
{
    public string Hostname { get; } = hostname;

    public Uri Address { get; } = address;

    /// <summary>Requests forwarded to the replica and not finished yet (failover attempts included).</summary>
    public InFlightCounter InFlight { get; } = new();

    /// <summary>What the data path has seen of the replica: failures, ejection, latency, answers.</summary>
    public ReplicaHealth Health { get; } = new(health ?? ReplicaHealthPolicy.Off);

    public override string ToString() => $"{Hostname} ({Address})";
}
