namespace Balancer.Actors.Routing;

/// <summary>The shape of a consistent hash ring.</summary>
public sealed record RingOptions
{
    public const int DefaultSlots = 512;
    public const int DefaultVirtualServersPerReplica = 9;

    public int Slots { get; init; } = DefaultSlots;

    /// <summary>K: virtual servers placed for every replica (log2 of 512 by default).</summary>
    public int VirtualServersPerReplica { get; init; } = DefaultVirtualServersPerReplica;

    public IHashFunctions Hashes { get; init; } = SpecHashFunctions.Instance;

    public ProbingPolicy Probing { get; init; } = ProbingPolicy.Linear;

    public void Validate()
    {
        if (Slots < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Slots), Slots, "The ring needs at least one slot.");
        }

        if (VirtualServersPerReplica < 1 || VirtualServersPerReplica > Slots)
        {
            throw new ArgumentOutOfRangeException(nameof(VirtualServersPerReplica), VirtualServersPerReplica,
                $"Virtual servers per replica must be between 1 and the slot count ({Slots}).");
        }
    }
}
