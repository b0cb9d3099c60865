using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Balancer.Actors.Runtime.Docker;

/// <summary>
/// Runs replicas as Docker containers through the engine API (never the CLI). Each container is named
/// with the replica's hostname, joins the replica network with that name as alias, and carries this
/// balancer instance's labels; only containers with those labels are ever stopped, removed or listed,
/// and a stop acts on the container id it was started as. Replicas are reached by their own IP on the
/// network, never by name. Disposing the runtime leaves the containers running, for the next balancer
/// with the same instance id to adopt.
/// </summary>
public sealed class DockerReplicaRuntime : IReplicaRuntime
{
    private readonly DockerRuntimeOptions options;
    private readonly ILogger logger;
    private readonly DockerClient client;
    private readonly DockerCall call;
    private readonly ReplicaNetwork network;
    private readonly OwnContainers ownContainers;
    private readonly ReplicaNameGuard names;
    private readonly ExitSubscribers subscribers;
    private readonly ContainerExitWatcher watcher;
    private int disposed;

    public DockerReplicaRuntime(DockerRuntimeOptions options, ILogger<DockerReplicaRuntime>? logger = null)
    {
        options.Validate();
        this.options = options;
        this.logger = logger ?? NullLogger<DockerReplicaRuntime>.Instance;
        client = DockerClientFactory.Create(options);
        call = new DockerCall(options.Endpoint, options.CallTimeout);
        network = new ReplicaNetwork(client, call, options);
        ownContainers = new OwnContainers(client, call, options);
        names = new ReplicaNameGuard(client, call, options);
        subscribers = new ExitSubscribers(this.logger);
        watcher = new ContainerExitWatcher(client, call, ownContainers, options, subscribers, this.logger);
    }

    public DockerRuntimeOptions Options => options;

    /// <summary>How many containers the exit watcher holds state for: the live ones and starts in progress, never the dead.</summary>
    internal int WatchedContainers => watcher.Tracked;

    public async Task<RunningReplica> StartAsync(string hostname, CancellationToken cancellationToken)
    {
        if (!ReplicaContainerSpec.IsValidName(hostname))
        {
            throw new ArgumentException($"'{hostname}' cannot name a container: use letters, digits, '_', '.' or '-', starting with a letter or digit.", nameof(hostname));
        }

        await network.EnsureAsync(cancellationToken);
        await names.EnsureFreeAsync(hostname, cancellationToken);
        var created = await CreateAsync(hostname, cancellationToken);
        // From here on the container's events may overtake this method: the watcher is told first.
        watcher.BeginStart(created.ID);
        try
        {
            await call.RunAsync("start container", token => client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), token), cancellationToken);
            watcher.Track(created.ID, hostname);
            var inspected = await call.RunAsync("inspect container", token => client.Containers.InspectContainerAsync(created.ID, token), cancellationToken);
            var ip = ReplicaAddress.IpOnNetwork(inspected.NetworkSettings?.Networks, options.Network)
                ?? throw new RuntimeUnavailableException($"Replica '{hostname}' started without an address on the network '{options.Network}'");
            logger.LogInformation("Started replica container {Hostname} ({ContainerId}) at {Ip}", hostname, ShortId(created.ID), ip);
            return new RunningReplica(hostname, ReplicaAddress.For(options, ip), created.ID);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // No half-done state: a container that was created but could not be started is removed.
            watcher.Forget(created.ID);
            await RemoveQuietlyAsync(created.ID);
            if (exception is DockerApiException apiException)
            {
                throw new RuntimeUnavailableException($"The Docker engine could not start replica '{hostname}': {DockerCall.EngineMessage(apiException)}", apiException);
            }

            throw;
        }
        finally
        {
            watcher.EndStart(created.ID);
        }
    }

    public async Task StopAsync(RunningReplica replica, CancellationToken cancellationToken)
    {
        // By container id: the name may belong to a newer container by now (a replacement, or a
        // replica added again under the name of one that died).
        var container = await FindOwnAsync(replica, cancellationToken);
        if (container is null)
        {
            return;
        }

        try
        {
            // The stop may wait the whole grace period before the engine kills the replica.
            await call.RunAsync(
                "stop container",
                token => client.Containers.StopContainerAsync(container.ID, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)options.StopGracePeriod.TotalSeconds }, token),
                cancellationToken,
                extraTime: options.StopGracePeriod);
            await call.RunAsync(
                "remove container",
                token => client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }, token),
                cancellationToken);
            logger.LogInformation("Stopped and removed replica container {Hostname} ({ContainerId})", replica.Hostname, ShortId(container.ID));
        }
        catch (DockerApiException exception) when (exception.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Gone already, or already being removed by someone else: either way it will not run.
        }
    }

    /// <summary>
    /// All of this instance's running containers, or a <see cref="RuntimeUnavailableException"/>: an
    /// engine that cannot answer must not look like one that runs nothing, or the caller would start a
    /// second set beside the first.
    /// </summary>
    public async Task<IReadOnlyList<RunningReplica>> ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (options.RemoveExitedBeforeListing)
            {
                var removed = await RemoveExitedAsync(cancellationToken);
                if (removed.Count > 0)
                {
                    logger.LogInformation("Removed exited replica containers {Hostnames} before adopting the running ones", string.Join(", ", removed));
                }
            }

            return await ownContainers.ListRunningAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not RuntimeUnavailableException
            && (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            var cause = exception is DockerApiException apiException ? DockerCall.EngineMessage(apiException) : exception.Message;
            throw new RuntimeUnavailableException($"The Docker engine could not list the running replicas: {cause}", exception);
        }
    }

    /// <summary>
    /// Removes this instance's containers that no longer run (crashed or stopped while no balancer
    /// watched); meant for start-up, before adopting the running ones. Returns the hostnames removed.
    /// </summary>
    public async Task<IReadOnlyList<string>> RemoveExitedAsync(CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        foreach (var container in await ownContainers.ListNotRunningAsync(cancellationToken))
        {
            try
            {
                await call.RunAsync(
                    "remove container",
                    token => client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }, token),
                    cancellationToken);
                removed.Add(OwnContainers.HostnameOf(container));
            }
            catch (DockerApiException exception) when (exception.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
            {
                // Removed by someone else meanwhile.
            }
        }

        return removed;
    }

    public IDisposable SubscribeToExits(Action<ReplicaExited> onExit)
    {
        var subscription = subscribers.Add(onExit);
        watcher.EnsureStarted();
        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await watcher.DisposeAsync();
        client.Dispose();
    }

    private async Task<CreateContainerResponse> CreateAsync(string hostname, CancellationToken cancellationToken)
    {
        try
        {
            return await call.RunAsync("create container", token => client.Containers.CreateContainerAsync(ReplicaContainerSpec.For(options, hostname), token), cancellationToken);
        }
        catch (DockerApiException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ReplicaNameConflictException($"A container named '{hostname}' already exists: {DockerCall.EngineMessage(exception)}");
        }
        catch (DockerApiException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            // The image, or the network if someone removed it since it was checked.
            network.Forget();
            throw new RuntimeUnavailableException($"The Docker engine cannot create replica '{hostname}': {DockerCall.EngineMessage(exception)}", exception);
        }
        catch (DockerApiException exception) when (exception.StatusCode == HttpStatusCode.BadRequest)
        {
            throw new RuntimeUnavailableException($"The Docker engine refused replica '{hostname}': {DockerCall.EngineMessage(exception)}", exception);
        }
    }

    /// <summary>The container with exactly the replica's id, only if it is this instance's; null when gone or foreign.</summary>
    private async Task<ContainerInspectResponse?> FindOwnAsync(RunningReplica replica, CancellationToken cancellationToken)
    {
        // The engine resolves names and id prefixes as well as ids: only a whole id is asked for.
        if (!IsWholeContainerId(replica.InstanceId))
        {
            return null;
        }

        ContainerInspectResponse container;
        try
        {
            container = await call.RunAsync("inspect container", token => client.Containers.InspectContainerAsync(replica.InstanceId, token), cancellationToken);
        }
        catch (DockerApiException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (container.ID != replica.InstanceId || !DockerLabels.BelongTo(container.Config?.Labels, options.InstanceId))
        {
            logger.LogWarning("Not stopping container {ContainerId} ({Hostname}): it is not one of this balancer's replicas",
                ShortId(replica.InstanceId), replica.Hostname);
            return null;
        }

        return container;
    }

    private static bool IsWholeContainerId(string id) => id.Length == 64 && id.All(char.IsAsciiHexDigitLower);

    private async Task RemoveQuietlyAsync(string containerId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(options.CallTimeout);
            await client.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true }, timeout.Token);
        }
        catch (Exception exception)
        {
            logger.LogWarning("Could not remove the half-started container {ContainerId}: {Reason}", ShortId(containerId), exception.Message);
        }
    }

    private static string ShortId(string containerId) => containerId.Length > 12 ? containerId[..12] : containerId;
}
