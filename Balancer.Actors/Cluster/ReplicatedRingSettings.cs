using Akka.DistributedData;

namespace Balancer.Actors.Cluster;

/// <summary>How the ring's inputs are replicated: the register's key and the consistency of writes and of a scheduler's read.</summary>
public sealed record ReplicatedRingSettings
{
    /// <summary>One register holds the whole replica set, so N and the members change together, in one order.</summary>
    public static readonly LWWRegisterKey<RingInputs> Key = new("balancer-ring-inputs");

    /// <summary>
    /// The register's clock is the inputs' version: the highest version wins a merge, whatever the nodes'
    /// wall clocks say (only one scheduler writes at a time, each version after the one it read).
    /// </summary>
    public static readonly Clock<RingInputs> VersionClock = (_, inputs) => inputs.Version;

    /// <summary>A change counts as written once a majority of the nodes have it (the others get it by gossip).</summary>
    public IWriteConsistency WriteConsistency { get; init; } = new WriteMajority(TimeSpan.FromSeconds(2));

    /// <summary>How a new scheduler reads what the previous one wrote.</summary>
    public IReadConsistency ReadConsistency { get; init; } = new ReadMajority(TimeSpan.FromSeconds(2));

    /// <summary>The consistencies for a named write mode (Majority, All, Local) and timeout.</summary>
    public static ReplicatedRingSettings For(string writeConsistency, TimeSpan timeout) => new()
    {
        WriteConsistency = writeConsistency.ToUpperInvariant() switch
        {
            "ALL" => new WriteAll(timeout),
            "LOCAL" => WriteLocal.Instance,
            _ => new WriteMajority(timeout),
        },
        ReadConsistency = string.Equals(writeConsistency, "Local", StringComparison.OrdinalIgnoreCase)
            ? ReadLocal.Instance
            : new ReadMajority(timeout),
    };
}
