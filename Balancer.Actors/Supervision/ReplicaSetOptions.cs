namespace Balancer.Actors.Supervision;

/// <summary>
/// The replica set kept from start-up: how many, their first names, and how a removed one leaves.
/// The balancer binds it from the <c>Balancer</c> section (<c>Replicas</c>, <c>ReplicaNames</c>,
/// <c>DrainTimeout</c>, <c>Spares</c>); these are the only place its defaults are declared.
/// </summary>
public sealed record ReplicaSetOptions
{
    /// <summary>N: replicas kept alive from start-up.</summary>
    public int Replicas { get; init; } = 3;

    /// <summary>Names for the first replicas; missing ones are S1, S2, ...; later ones are random.</summary>
    public IReadOnlyList<string> ReplicaNames { get; init; } = [];

    /// <summary>
    /// Warm spares kept beside the N: started and serving-ready, outside the ring and outside /rep. A dead
    /// replica's place is taken by one at once and /add draws its unnamed replicas from them. 0 (the
    /// default) keeps exactly the spec's N replicas running.
    /// </summary>
    public int Spares { get; init; }

    /// <summary>More spares than this is a mistake: each one is a whole replica kept running for nothing.</summary>
    public const int MaxSpares = 64;

    /// <summary>How long a removed replica may finish requests in flight before it is stopped.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public IReadOnlyList<string> NamesForInitialReplicas()
    {
        var names = new List<string>();
        for (var index = 0; index < Replicas; index++)
        {
            names.Add(index < ReplicaNames.Count ? ReplicaNames[index] : $"S{index + 1}");
        }

        return names;
    }
}
