namespace Balancer.Actors.Runtime.Docker;

/// <summary>How the balancer addresses a replica container.</summary>
public enum ReplicaAddressing
{
    /// <summary>By the container's IP on the replica network: the balancer runs on the host, which routes to bridge networks but cannot resolve container names.</summary>
    ContainerIp,

    /// <summary>By the container's name: the balancer runs in a container on the same network, where Docker's DNS resolves it.</summary>
    ContainerName,
}
