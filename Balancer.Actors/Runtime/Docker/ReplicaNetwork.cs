using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Balancer.Actors.Runtime.Docker;

/// <summary>
/// Makes sure the replica network exists before a container is created on it. A network the runtime
/// creates carries the managed-by label (not the instance label: several balancers may share it), so a
/// clean-up can tell it from a user's. Once seen, it is not looked up again for every start.
/// </summary>
internal sealed class ReplicaNetwork(DockerClient client, DockerCall call, DockerRuntimeOptions options)
{
    /// <summary>
    /// One check at a time: Docker allows several networks with one name, so replicas starting together
    /// would each create one, and every later start would find the name ambiguous.
    /// </summary>
    private readonly SemaphoreSlim checking = new(1, 1);
    private volatile bool known;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (known)
        {
            return;
        }

        await checking.WaitAsync(cancellationToken);
        try
        {
            if (!known)
            {
                await CheckAsync(cancellationToken);
            }
        }
        finally
        {
            checking.Release();
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await call.RunAsync("inspect network", token => client.Networks.InspectNetworkAsync(options.Network, token), cancellationToken);
        }
        catch (DockerApiException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            if (!options.CreateNetworkIfMissing)
            {
                throw new RuntimeUnavailableException($"The Docker network '{options.Network}' does not exist (and creating it is turned off).", exception);
            }

            await CreateAsync(cancellationToken);
        }

        known = true;
    }

    /// <summary>Forgets the network, so the next start checks it again (it may have been removed).</summary>
    public void Forget() => known = false;

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await call.RunAsync("create network", token => client.Networks.CreateNetworkAsync(new NetworksCreateParameters
            {
                Name = options.Network,
                Driver = "bridge",
                Labels = new Dictionary<string, string> { [DockerLabels.ManagedBy] = DockerLabels.ManagedByValue },
            }, token), cancellationToken);
        }
        catch (DockerApiException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
        {
            // Another balancer created it at the same moment: it exists, which is all that matters.
        }
    }
}
