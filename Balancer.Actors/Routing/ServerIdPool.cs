namespace Balancer.Actors.Routing;

/// <summary>
/// Hands out server ids from 1 upwards, always the lowest free one, so a replacement for a removed
/// replica takes over its id (and so, with the spec's Φ, the same slots when they are still free).
/// </summary>
public sealed class ServerIdPool
{
    private readonly SortedSet<int> released = [];
    private int next = 1;

    public int Take()
    {
        if (released.Count > 0)
        {
            var lowest = released.Min;
            released.Remove(lowest);
            return lowest;
        }

        return next++;
    }

    /// <summary>Takes a given id (a cluster's replicated ring names it).</summary>
    /// <exception cref="ArgumentException">The id is taken already, or not positive.</exception>
    public int Take(int id)
    {
        if (id < 1)
        {
            throw new ArgumentException($"Server id {id} is not positive.", nameof(id));
        }

        if (id >= next)
        {
            for (var skipped = next; skipped < id; skipped++)
            {
                released.Add(skipped);
            }

            next = id + 1;
            return id;
        }

        if (!released.Remove(id))
        {
            throw new ArgumentException($"Server id {id} is taken already.", nameof(id));
        }

        return id;
    }

    public void Release(int id)
    {
        if (id == next - 1)
        {
            next--;
            // Fold released ids that now sit at the top back into the counter.
            while (released.Remove(next - 1))
            {
                next--;
            }
        }
        else
        {
            released.Add(id);
        }
    }
}
