using Akka.Actor;

namespace Balancer.Actors.Supervision;

/// <summary>Asks for what the supervisor knows of every replica, for the status page, metrics and /readyz.</summary>
public sealed record GetReplicaStatus
{
    public static readonly GetReplicaStatus Instance = new();
}

/// <summary>What an operator sees a replica as. <see cref="Ejected"/> is the data path's word, never the supervisor's.</summary>
public enum ReplicaState
{
    /// <summary>Started (or joining the ring), not serving requests yet.</summary>
    Starting,

    /// <summary>In the ring, serving requests.</summary>
    Serving,

    /// <summary>Serving, but skipped by routing after failed requests (its route's health says so).</summary>
    Ejected,

    /// <summary>Leaving the set: out of the ring, finishing its requests in flight, then stopped.</summary>
    Draining,

    /// <summary>A warm spare: ready to serve, outside the ring, waiting to take a dead replica's place.</summary>
    Spare,
}

/// <param name="ServingSince">When it began to serve; null while it does not.</param>
public sealed record ReplicaStatus(string Hostname, ReplicaState State, Uri? Address, DateTimeOffset? ServingSince);

/// <param name="Desired">N, the number of serving replicas the supervisor keeps.</param>
/// <param name="Listing">False until the runtime has listed what already runs (nothing starts before).</param>
/// <param name="ShuttingDown">The balancer is stopping its replicas.</param>
public sealed record ReplicaStatusReport(int Desired, IReadOnlyList<ReplicaStatus> Replicas, bool Listing, bool ShuttingDown, DateTimeOffset At);

public sealed partial class ReplicaSupervisor
{
    private void ReportStatus(bool listing, bool shuttingDown) =>
        Sender.Tell(new ReplicaStatusReport(
            registry.Desired,
            registry.All
                .OrderBy(entry => entry.Sequence)
                .Select(entry => new ReplicaStatus(entry.Hostname, StateOf(entry.Phase), entry.Replica?.Address,
                    entry.Phase == ReplicaPhase.Serving ? entry.ServingSince : null))
                .ToArray(),
            listing,
            shuttingDown,
            Now));

    private static ReplicaState StateOf(ReplicaPhase phase) => phase switch
    {
        ReplicaPhase.Starting or ReplicaPhase.Joining => ReplicaState.Starting,
        ReplicaPhase.Serving => ReplicaState.Serving,
        ReplicaPhase.Stopping => ReplicaState.Draining,
        ReplicaPhase.Spare => ReplicaState.Spare,
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "a phase without a state"),
    };
}
