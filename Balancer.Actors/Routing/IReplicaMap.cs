namespace Balancer.Actors.Routing;

/// <summary>
/// The write side of a routing strategy. It has a single writer (the RingActor); every change
/// publishes a new immutable <see cref="IRouteSnapshot"/> that any number of threads may read.
/// </summary>
public interface IReplicaMap
{
    IRouteSnapshot Current { get; }

    /// <summary>Adds a replica and returns the server id it was given.</summary>
    /// <exception cref="ArgumentException">The hostname is already in the map.</exception>
    /// <exception cref="RingFullException">The replica does not fit.</exception>
    int Add(string hostname);

    /// <summary>
    /// Adds a replica under a server id chosen elsewhere (a cluster's replicated ring): every node that adds
    /// the same replicas with the same ids in the same order from an empty map gets the same layout.
    /// </summary>
    /// <exception cref="ArgumentException">The hostname is already in the map, or the server id is taken or not positive.</exception>
    /// <exception cref="RingFullException">The replica does not fit.</exception>
    int Add(string hostname, int serverId);

    /// <summary>Removes a replica; false when it was not in the map.</summary>
    bool Remove(string hostname);
}
