using Balancer.Actors.Routing;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Ring;

/// <summary>Adds serving replicas to the map, all or none. Answered with <see cref="RingChanged"/> or a failure.</summary>
public sealed record JoinRing(IReadOnlyList<RunningReplica> Replicas);

/// <summary>Takes replicas out of the map. Answered with <see cref="RingChanged"/>.</summary>
public sealed record LeaveRing(IReadOnlyList<string> Hostnames);

/// <summary>The table published after a change.</summary>
public sealed record RingChanged(RoutingTable Table);
