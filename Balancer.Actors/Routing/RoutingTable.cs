using System.Collections.Immutable;

namespace Balancer.Actors.Routing;

/// <summary>
/// What request threads read to route: the hash map's snapshot and where each of its replicas is.
/// Immutable; the RingActor publishes a new one after every change.
/// </summary>
public sealed record RoutingTable(IRouteSnapshot Routes, ImmutableDictionary<string, Uri> Addresses)
{
    public static RoutingTable Empty(IRouteSnapshot routes) =>
        new(routes, ImmutableDictionary<string, Uri>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase));

    public Uri? AddressOf(string hostname) => Addresses.GetValueOrDefault(hostname);
}
