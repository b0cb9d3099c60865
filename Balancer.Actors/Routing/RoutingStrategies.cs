namespace Balancer.Actors.Routing;

/// <summary>The routing strategies configuration can name, and the factory that builds them.</summary>
public static class RoutingStrategies
{
    /// <summary>The assignment's ring: H and Φ quadratics, M = 512, K = 9. Exact to the spec.</summary>
    public const string Spec = "spec";

    /// <summary>The same ring structure with the mix64 hashes and more slots and virtual servers.</summary>
    public const string Ring = "ring";

    /// <summary>Maglev hashing over a prime lookup table.</summary>
    public const string Maglev = "maglev";

    public const int RingDefaultSlots = 1 << 20;
    public const int RingDefaultVirtualServersPerReplica = 1000;

    public static IReadOnlyList<string> Names { get; } = [Spec, Ring, Maglev];

    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static IReplicaMap Create(RoutingOptions options)
    {
        options.Validate();
        return options.IsMaglev
            ? new MaglevMap(options.MaglevTableSize)
            : new ConsistentHashMap(options.ToRingOptions());
    }

    /// <summary>
    /// How requests pick their replica: a <see cref="BoundedLoadRouter"/> when BalanceFactor is set, else the
    /// hashed replica (<see cref="HashedRoutePicker"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static IRoutePicker CreateRoutePicker(RoutingOptions options)
    {
        options.Validate();
        return options.BalanceFactor is { } factor ? new BoundedLoadRouter(factor) : HashedRoutePicker.Instance;
    }

    internal static RingOptions RingDefaults(string strategy) =>
        string.Equals(strategy, Ring, StringComparison.OrdinalIgnoreCase)
            ? new RingOptions
            {
                Slots = RingDefaultSlots,
                VirtualServersPerReplica = RingDefaultVirtualServersPerReplica,
                Hashes = Mix64HashFunctions.Instance,
            }
            : new RingOptions();
}
