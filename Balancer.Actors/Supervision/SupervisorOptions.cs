namespace Balancer.Actors.Supervision;

public sealed record SupervisorOptions
{
    /// <summary>Replicas kept alive from start-up (N).</summary>
    public int Replicas { get; init; } = 3;

    /// <summary>Names for the first replicas; missing ones are S1, S2, ...; later ones are random.</summary>
    public IReadOnlyList<string> InitialNames { get; init; } = [];

    /// <summary>The most replicas the routing map can hold (N x K must fit in M for a ring).</summary>
    public int MaxReplicas { get; init; } = 56;

    /// <summary>How long a removed replica may finish requests in flight before it is stopped.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether stopping the balancer stops its replicas (processes) or leaves them for the next balancer to
    /// adopt (containers).
    /// </summary>
    public bool StopReplicasOnShutdown { get; init; } = true;

    public HeartbeatOptions Heartbeat { get; init; } = new();

    public BackoffPolicy Backoff { get; init; } = new();

    public IReadOnlyList<string> NamesForInitialReplicas()
    {
        var names = new List<string>();
        for (var index = 0; index < Replicas; index++)
        {
            names.Add(index < InitialNames.Count ? InitialNames[index] : $"S{index + 1}");
        }

        return names;
    }
}
