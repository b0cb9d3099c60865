namespace Balancer.Actors.Routing.Health;

/// <summary>
/// How many of the ring's replicas may be out of routing at once (Envoy's max ejection percent): a replica
/// is ejected only if it can take a place here, and gives the place back when it is readmitted or leaves
/// the ring. Shared by every route of one ring; lock-free.
/// </summary>
public sealed class EjectionBudget(int maxEjectedPercent)
{
    private int replicas;
    private int ejected;

    public int MaxEjectedPercent { get; } = maxEjectedPercent;

    /// <summary>Replicas out of routing now.</summary>
    public int Ejected => Volatile.Read(ref ejected);

    /// <summary>Replicas in the ring now (the RingActor sets it with every table it publishes).</summary>
    public int Replicas
    {
        get => Volatile.Read(ref replicas);
        set => Volatile.Write(ref replicas, value);
    }

    /// <summary>The most replicas that may be ejected out of <paramref name="replicaCount"/>: the share rounded down, but at least one (none at 0 %).</summary>
    public static int Allowed(int replicaCount, int maxEjectedPercent) =>
        maxEjectedPercent <= 0 || replicaCount <= 0 ? 0 : Math.Max(1, replicaCount * maxEjectedPercent / 100);

    /// <summary>Takes a place for one more ejected replica; false when the budget is used up.</summary>
    public bool TryTake()
    {
        var allowed = Allowed(Replicas, MaxEjectedPercent);
        var seen = Volatile.Read(ref ejected);
        while (seen < allowed)
        {
            var found = Interlocked.CompareExchange(ref ejected, seen + 1, seen);
            if (found == seen)
            {
                return true;
            }

            seen = found;
        }

        return false;
    }

    /// <summary>Gives a place back (a readmission, or an ejected replica that left the ring).</summary>
    public void Release() => Interlocked.Decrement(ref ejected);
}
