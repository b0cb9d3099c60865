using System.Globalization;

namespace Balancer.Actors.Routing;

/// <summary>
/// A stable hash of what a table routes where (slot -> hostname for a ring, entry -> hostname for Maglev),
/// 16 hex digits: two nodes with the same fingerprint route every request id to the same replica, so a
/// cluster's disagreement is visible at a glance. Names count case-insensitively, as routing does.
/// </summary>
public static class RoutingFingerprint
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static string Of(IRouteSnapshot snapshot)
    {
        var hash = Offset;
        switch (snapshot)
        {
            case RingSnapshot ring:
                // The first virtual server clockwise of a slot serves it, so the placed servers say everything.
                hash = Mix(hash, ring.Slots);
                foreach (var server in ring.VirtualServers)
                {
                    hash = Mix(Mix(hash, server.Slot), server.Hostname);
                }

                break;
            case MaglevSnapshot maglev:
                hash = Mix(hash, maglev.TableSize);
                foreach (var entry in maglev.Entries)
                {
                    hash = Mix(hash, entry);
                }

                foreach (var hostname in maglev.Replicas)
                {
                    hash = Mix(hash, hostname);
                }

                break;
            default:
                foreach (var hostname in snapshot.Replicas)
                {
                    hash = Mix(hash, hostname);
                }

                break;
        }

        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    private static ulong Mix(ulong hash, int value)
    {
        for (var shift = 0; shift < 32; shift += 8)
        {
            hash = (hash ^ (byte)(value >> shift)) * Prime;
        }

        return hash;
    }

    private static ulong Mix(ulong hash, string text)
    {
        foreach (var character in text.ToUpperInvariant())
        {
            hash = (hash ^ (byte)character) * Prime;
            hash = (hash ^ (byte)(character >> 8)) * Prime;
        }

        // A separator, so ("ab", "c") and ("a", "bc") differ.
        return (hash ^ 0xff) * Prime;
    }
}
