using Balancer.Actors.Routing;

namespace Balancer.Actors.Supervision;

/// <summary>What every replica actor watches its replica with: the probe, the rule's settings, and where it counts what it saw.</summary>
public sealed record ReplicaWatch(IReplicaProbe Probe, HeartbeatOptions Heartbeat, SupervisorCounters Counters)
{
    /// <summary>
    /// How the actor reads the answers a route counted (the data path's count); actor tests pass their own
    /// count, as they pass a fake probe.
    /// </summary>
    public Func<ReplicaRoute, long> AnswersOf { get; init; } = route => route.Health.Answers;
}
