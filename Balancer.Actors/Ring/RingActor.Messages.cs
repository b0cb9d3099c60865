using Balancer.Actors.Routing;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Ring;

/// <summary>Adds serving replicas to the map, all or none. Answered with <see cref="RingChanged"/> or a failure.</summary>
public sealed record JoinRing(IReadOnlyList<RunningReplica> Replicas);

/// <summary>Takes replicas out of the map. Answered with <see cref="RingLeft"/>.</summary>
public sealed record LeaveRing(IReadOnlyList<string> Hostnames);

/// <summary>The table published after a join.</summary>
public sealed record RingChanged(RoutingTable Table);

/// <summary>
/// The table published after a leave, and the route object of each replica that was in the ring: requests
/// already forwarded to it still count on its <see cref="ReplicaRoute.InFlight"/>, which drain watches.
/// </summary>
public sealed record RingLeft(RoutingTable Table, IReadOnlyList<ReplicaRoute> Departed);
