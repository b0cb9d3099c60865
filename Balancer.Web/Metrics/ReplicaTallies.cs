using System.Collections.Concurrent;

namespace Balancer.Web.Metrics;

/// <summary>The <see cref="ReplicaTally"/> of every replica that was sent a request, by name.</summary>
internal sealed class ReplicaTallies
{
    private readonly ConcurrentDictionary<string, ReplicaTally> tallies = new(StringComparer.OrdinalIgnoreCase);

    public ReplicaTally For(string replica) => tallies.GetOrAdd(replica, static _ => new ReplicaTally());

    public IReadOnlyDictionary<string, TallyReading> ReadAll() =>
        tallies.ToDictionary(pair => pair.Key, pair => pair.Value.Read(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Forgets replicas that are gone, so a balancer that replaces replicas for weeks does not grow.</summary>
    public void KeepOnly(IReadOnlySet<string> replicas)
    {
        foreach (var name in tallies.Keys.Where(name => !replicas.Contains(name)))
        {
            tallies.TryRemove(name, out _);
        }
    }
}
