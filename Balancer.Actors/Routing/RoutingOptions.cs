namespace Balancer.Actors.Routing;

/// <summary>
/// Which routing strategy the balancer uses and its shape. The defaults are the assignment's ring
/// (<c>spec</c>: M = 512, K = 9, spec hashes, linear probing). Ring settings left null take the
/// chosen strategy's defaults (see <see cref="RoutingStrategies"/>).
/// </summary>
public sealed record RoutingOptions
{
    public const int MaxSlots = 1 << 30;
    public const int MaxMaglevTableSize = 1 << 24;

    /// <summary><c>spec</c> (default), <c>ring</c> or <c>maglev</c>; case-insensitive.</summary>
    public string Strategy { get; init; } = RoutingStrategies.Spec;

    /// <summary>M for ring strategies; null takes the strategy's default.</summary>
    public int? Slots { get; init; }

    /// <summary>K for ring strategies; null takes the strategy's default.</summary>
    public int? VirtualServersPerReplica { get; init; }

    /// <summary>
    /// A name from <see cref="HashFunctionCatalog"/> for ring strategies; null (or an empty setting,
    /// <c>Balancer__Routing__Hash=</c>) takes the strategy's default.
    /// </summary>
    public string? Hash
    {
        get;
        init => field = string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>How a ring's virtual servers resolve slot conflicts.</summary>
    public ProbingPolicy Probing { get; init; } = ProbingPolicy.Linear;

    /// <summary>M for <c>maglev</c>: a prime, ideally over 100 x N.</summary>
    public int MaglevTableSize { get; init; } = MaglevMap.DefaultTableSize;

    /// <summary>
    /// c for consistent hashing with bounded loads (for example 1.25), at least 1; null routes by the
    /// strategy alone. See <see cref="BoundedLoadRouter"/>.
    /// </summary>
    public double? BalanceFactor { get; init; }

    public bool IsRing => !IsMaglev;

    public bool IsMaglev => string.Equals(Strategy, RoutingStrategies.Maglev, StringComparison.OrdinalIgnoreCase);

    /// <exception cref="ArgumentException">A setting is out of range, unknown, or does not apply to the strategy.</exception>
    public void Validate()
    {
        if (!RoutingStrategies.Names.Contains(Strategy, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"Unknown routing strategy '{Strategy}'; known: {string.Join(", ", RoutingStrategies.Names)}.", nameof(Strategy));
        }

        if (BalanceFactor is { } factor && !(factor >= 1.0 && double.IsFinite(factor)))
        {
            throw new ArgumentOutOfRangeException(nameof(BalanceFactor), factor,
                "The balance factor c must be a finite number of at least 1 (for example 1.25).");
        }

        if (IsMaglev)
        {
            if (Slots is not null || VirtualServersPerReplica is not null || Hash is not null)
            {
                throw new ArgumentException(
                    "Slots, VirtualServersPerReplica and Hash shape a ring; the maglev strategy is shaped by MaglevTableSize.");
            }

            ValidateMaglevTableSize(MaglevTableSize);
            return;
        }

        var ring = ToRingOptions();
        if (ring.Slots is < 1 or > MaxSlots)
        {
            throw new ArgumentOutOfRangeException(nameof(Slots), ring.Slots, $"Slots (M) must be between 1 and {MaxSlots}.");
        }

        ring.Validate();
    }

    /// <summary>Checks up front that N replicas fit: a ring needs N x K slots, Maglev N entries.</summary>
    /// <exception cref="ArgumentException">They do not fit.</exception>
    public void EnsureFits(int replicas)
    {
        Validate();
        if (IsMaglev)
        {
            if (replicas > MaglevTableSize)
            {
                throw new ArgumentException(
                    $"{replicas} replicas do not fit in a Maglev table of {MaglevTableSize} entries.", nameof(replicas));
            }

            return;
        }

        var ring = ToRingOptions();
        if ((long)replicas * ring.VirtualServersPerReplica > ring.Slots)
        {
            throw new ArgumentException(
                $"N x K = {replicas} x {ring.VirtualServersPerReplica} = {(long)replicas * ring.VirtualServersPerReplica} " +
                $"virtual servers do not fit in M = {ring.Slots} slots; raise Slots or lower VirtualServersPerReplica.",
                nameof(replicas));
        }
    }

    /// <summary>The most replicas the map can hold: M / K for a ring, the table size for Maglev.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public int ReplicaCapacity()
    {
        Validate();
        if (IsMaglev)
        {
            return MaglevTableSize;
        }

        var ring = ToRingOptions();
        return ring.Slots / ring.VirtualServersPerReplica;
    }

    /// <summary>The ring this configuration describes, with the strategy's defaults filled in.</summary>
    public RingOptions ToRingOptions()
    {
        var defaults = RoutingStrategies.RingDefaults(Strategy);
        return new RingOptions
        {
            Slots = Slots ?? defaults.Slots,
            VirtualServersPerReplica = VirtualServersPerReplica ?? defaults.VirtualServersPerReplica,
            Hashes = Hash is null ? defaults.Hashes : HashFunctionCatalog.Get(Hash),
            Probing = Probing,
        };
    }

    internal static void ValidateMaglevTableSize(int tableSize)
    {
        if (tableSize is < 2 or > MaxMaglevTableSize || !Primes.IsPrime(tableSize))
        {
            throw new ArgumentOutOfRangeException(nameof(MaglevTableSize), tableSize,
                $"The Maglev table size must be a prime between 2 and {MaxMaglevTableSize} (65537 by default), " +
                "so that every replica's permutation visits every entry.");
        }
    }
}
