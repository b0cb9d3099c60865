using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Balancer.Actors.Runtime.Docker;

/// <summary>
/// Refuses a replica name that the replica network would not resolve to the new container alone:
/// <c>localhost</c>, the balancer's own names, and any name a container already on the network
/// answers to (its name, aliases, host name or short id). The balancer addresses replicas by IP, so
/// such a name would not misroute its own traffic; but SERVER_ID, /rep and everyone else on the
/// network would then call two different things by one name.
/// </summary>
internal sealed class ReplicaNameGuard(DockerClient client, DockerCall call, DockerRuntimeOptions options)
{
    /// <summary>The length of the short id Docker makes every container answer to.</summary>
    private const int ShortIdLength = 12;

    /// <exception cref="ReplicaNameConflictException">The name is reserved or taken on the network.</exception>
    public async Task EnsureFreeAsync(string hostname, CancellationToken cancellationToken)
    {
        if (IsReserved(hostname))
        {
            throw new ReplicaNameConflictException(
                $"'{hostname}' is reserved: on the replica network it names the balancer or the local host, not a new replica");
        }

        if (await HolderOnNetworkAsync(hostname, cancellationToken) is { } holder)
        {
            throw new ReplicaNameConflictException(
                $"'{hostname}' is already a name of container {holder} on the network '{options.Network}'");
        }
    }

    public bool IsReserved(string hostname) =>
        SameName(hostname, "localhost")
        || hostname.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || SameName(hostname, Environment.MachineName)
        || options.ReservedHostnames.Any(reserved => SameName(hostname, reserved));

    /// <summary>The container on the network (running or not: a stopped one answers again once started) that answers to the name.</summary>
    private async Task<string?> HolderOnNetworkAsync(string hostname, CancellationToken cancellationToken)
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>
        {
            ["network"] = new Dictionary<string, bool> { [options.Network] = true },
        };
        var containers = await call.RunAsync(
            "list containers on the network",
            token => client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filters }, token),
            cancellationToken);
        foreach (var container in containers)
        {
            var name = container.Names.FirstOrDefault()?.TrimStart('/') ?? container.ID;
            if (container.Names.Any(listed => SameName(listed.TrimStart('/'), hostname)) || SameName(ShortId(container.ID), hostname))
            {
                return name;
            }

            // This instance's replicas get no alias but their own name, so only others need a closer look.
            if (!DockerLabels.BelongTo(container.Labels, options.InstanceId)
                && await AnswersToAsync(container.ID, hostname, cancellationToken))
            {
                return name;
            }
        }

        return null;
    }

    private async Task<bool> AnswersToAsync(string containerId, string hostname, CancellationToken cancellationToken)
    {
        ContainerInspectResponse container;
        try
        {
            container = await call.RunAsync("inspect container", token => client.Containers.InspectContainerAsync(containerId, token), cancellationToken);
        }
        catch (DockerApiException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        var endpoint = container.NetworkSettings?.Networks is { } networks && networks.TryGetValue(options.Network, out var found) ? found : null;
        IEnumerable<string?> names = [container.Config?.Hostname, .. endpoint?.Aliases ?? [], .. endpoint?.DNSNames ?? []];
        return names.Any(name => name is not null && SameName(name, hostname));
    }

    private static string ShortId(string containerId) => containerId.Length > ShortIdLength ? containerId[..ShortIdLength] : containerId;

    // DNS names are case-insensitive: S1 and s1 are one name on the network.
    private static bool SameName(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);
}
