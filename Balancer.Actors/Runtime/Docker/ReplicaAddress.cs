namespace Balancer.Actors.Runtime.Docker;

/// <summary>The base address the balancer uses for a replica container, as the addressing mode says.</summary>
internal static class ReplicaAddress
{
    public static Uri For(DockerRuntimeOptions options, string hostname, string? ipOnNetwork)
    {
        if (options.Addressing == ReplicaAddressing.ContainerName)
        {
            return new Uri($"http://{hostname}:{options.ContainerPort}");
        }

        if (string.IsNullOrEmpty(ipOnNetwork))
        {
            // A container off the network (someone disconnected it) has no address the balancer can
            // use; the name at least fails its heartbeats clearly, and the supervisor replaces it.
            return new Uri($"http://{hostname}:{options.ContainerPort}");
        }

        return new Uri($"http://{ipOnNetwork}:{options.ContainerPort}");
    }
}
