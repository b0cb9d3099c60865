using System.Runtime.InteropServices;

namespace Balancer.Actors.Routing;

/// <summary>
/// A number of requests in flight, changed only with interlocked operations: one per replica (its
/// <see cref="ReplicaRoute.InFlight"/>), read by the forwarder, bounded loads and drain alike.
/// </summary>
// 128 bytes keep neighbouring counters off each other's cache lines (and the adjacent-line prefetcher),
// so replicas busy on different cores do not slow each other down.
[StructLayout(LayoutKind.Explicit, Size = 128)]
public sealed class InFlightCounter
{
    [FieldOffset(64)]
    private int count;

    public int Value => Volatile.Read(ref count);

    /// <summary>Adds one request and returns the new count.</summary>
    public int Increment() => Interlocked.Increment(ref count);

    public void Decrement() => Interlocked.Decrement(ref count);

    /// <summary>Adds one request if that keeps the count at or under <paramref name="cap"/>.</summary>
    internal bool TryIncrementUnder(int cap)
    {
        var seen = Volatile.Read(ref count);
        while (seen < cap)
        {
            var found = Interlocked.CompareExchange(ref count, seen + 1, seen);
            if (found == seen)
            {
                return true;
            }

            seen = found;
        }

        return false;
    }
}
