using System.Collections.Concurrent;
using System.Net;
using Balancer.Actors.Routing;

namespace Balancer.Web.Forwarding.Upstream;

/// <summary>
/// A connection pool per replica route. Once a second the pools of replicas that left the routing table
/// are closed (their sockets would otherwise linger after the replica died) and expired idle connections
/// of the others are trimmed.
/// </summary>
internal sealed class UpstreamPools : IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<ReplicaRoute, UpstreamPool> pools = new(ReferenceEqualityComparer.Instance);
    private readonly RoutingTablePublisher routing;
    private readonly Timer sweep;

    public UpstreamPools(RoutingTablePublisher routing)
    {
        this.routing = routing;
        sweep = new Timer(_ => Sweep(), null, SweepInterval, SweepInterval);
    }

    public UpstreamPool For(ReplicaRoute route) =>
        pools.TryGetValue(route, out var pool) ? pool : pools.GetOrAdd(route, static route => Create(route.Address));

    public void Sweep()
    {
        var current = routing.Current.Replicas;
        foreach (var (route, pool) in pools)
        {
            if (!current.Contains(route))
            {
                pools.TryRemove(route, out _);
                pool.Dispose();
            }
            else
            {
                pool.Trim();
            }
        }
    }

    public void Dispose()
    {
        sweep.Dispose();
        foreach (var pool in pools.Values)
        {
            pool.Dispose();
        }

        pools.Clear();
    }

    private static UpstreamPool Create(Uri address)
    {
        EndPoint endpoint = IPAddress.TryParse(address.Host, out var ip) ? new IPEndPoint(ip, address.Port) : new DnsEndPoint(address.Host, address.Port);
        return new UpstreamPool(endpoint, address.Authority);
    }
}
