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
