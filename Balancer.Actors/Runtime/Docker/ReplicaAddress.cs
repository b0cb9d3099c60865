using Docker.DotNet.Models;

namespace Balancer.Actors.Runtime.Docker;

/// <summary>
/// The base address the balancer uses for a replica container: its own IP on the replica network,
/// never its name. A name is whatever the network's DNS answers for it, which can be another
/// container (a foreign one given the same alias, the balancer's own service name) or the balancer
/// itself (<c>localhost</c>); the IP the engine assigned to this container's endpoint is only this
/// container. Both a balancer on the host (which routes to bridge networks) and one in a container on
/// the same network reach it.
/// </summary>
internal static class ReplicaAddress
{
    public const string OffNetworkHost = "off-network.invalid";

    /// <summary>The IP of the container's endpoint on the replica network, from an inspect or a listing.</summary>
    public static string? IpOnNetwork(IDictionary<string, EndpointSettings>? networks, string network) =>
        networks is not null && networks.TryGetValue(network, out var endpoint) && !string.IsNullOrEmpty(endpoint.IPAddress)
            ? endpoint.IPAddress
            : null;

    public static Uri For(DockerRuntimeOptions options, string? ipOnNetwork)
    {
        if (string.IsNullOrEmpty(ipOnNetwork))
        {
            // A running container of ours that is off the network (someone disconnected it) has no
            // address the balancer can use. It is still listed, so it is adopted rather than orphaned;
            // the reserved .invalid domain never resolves (RFC 6761), so its heartbeats fail at once
            // and the supervisor stops it (by id) and replaces it.
            return new Uri($"http://{OffNetworkHost}:{options.ContainerPort}");
        }

        return new Uri($"http://{ipOnNetwork}:{options.ContainerPort}");
    }
}
