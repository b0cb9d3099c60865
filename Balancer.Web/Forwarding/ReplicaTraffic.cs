using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Balancer.Actors.Routing;
using Balancer.Actors.Supervision;

namespace Balancer.Web.Forwarding;

/// <summary>Requests in flight per replica, so a removed replica is stopped only once it has answered them.</summary>
internal sealed class ReplicaTraffic(RoutingTablePublisher routing) : IInFlightGauge
{
    private readonly ConcurrentDictionary<string, StrongBox<int>> counts = new(StringComparer.OrdinalIgnoreCase);

    public int InFlight(string hostname) => counts.TryGetValue(hostname, out var count) ? Volatile.Read(ref count.Value) : 0;

    public void Begin(string hostname) => Interlocked.Increment(ref counts.GetOrAdd(hostname, _ => new StrongBox<int>()).Value);

    public void End(string hostname)
    {
        if (!counts.TryGetValue(hostname, out var count) || Interlocked.Decrement(ref count.Value) > 0)
        {
            return;
        }

        // Replacements get fresh random names: forget idle replicas that left the ring, or the table
        // would grow by one entry per replacement for as long as the balancer runs.
        if (routing.Current.AddressOf(hostname) is null)
        {
            counts.TryRemove(new KeyValuePair<string, StrongBox<int>>(hostname, count));
        }
    }
}
