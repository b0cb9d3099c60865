using Docker.DotNet.Models;

namespace Balancer.Actors.Runtime.Docker;

/// <summary>What a replica container is created with: name, alias, environment and labels.</summary>
internal static class ReplicaContainerSpec
{
    public static CreateContainerParameters For(DockerRuntimeOptions options, string hostname) => new()
    {
        Name = hostname,
        Hostname = hostname,
        Image = options.Image,
        Env = [$"SERVER_ID={hostname}", $"PORT={options.ContainerPort}"],
        Labels = DockerLabels.ForReplica(options.InstanceId, hostname),
        HostConfig = new HostConfig
        {
            NetworkMode = options.Network,
            // No restart policy: a dead replica is the supervisor's to replace, under a name it chooses.
            RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
        },
        NetworkingConfig = new NetworkingConfig
        {
            EndpointsConfig = new Dictionary<string, EndpointSettings>
            {
                [options.Network] = new() { Aliases = [hostname] },
            },
        },
    };

    /// <summary>Docker's rule for container names; checked up front so a bad name is the caller's error, not the engine's.</summary>
    public static bool IsValidName(string hostname) =>
        hostname.Length is > 0 and <= 128
        && char.IsAsciiLetterOrDigit(hostname[0])
        && hostname.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
