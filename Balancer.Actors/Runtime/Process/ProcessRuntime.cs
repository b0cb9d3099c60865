using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Balancer.Actors.Runtime.Process;

/// <summary>
/// The embedded runtime: every replica is a ReplicaServer process on a free loopback port. A replica
/// watches its standard input, whose write end only this process holds, so it exits when the balancer
/// is gone, however it ended (even SIGKILL).
/// </summary>
/// <remarks>
/// Cluster mode (<see cref="ProcessRuntimeOptions.OutliveBalancer"/>): a replica is started with the orphan
/// rule instead (it exits when no node has heartbeated it for <see cref="ProcessRuntimeOptions.OrphanAfter"/>),
/// is stopped by SIGTERM, and outlives this node. The listing then adds the replicas of the cluster's
/// <see cref="IReplicaInventory"/> that still run and are really this instance's ReplicaServers (their start
/// environment names the same hostname, address and instance id), so the scheduler that takes over on another
/// node adopts them; their exits are polled, since they are not this process's children.
/// </remarks>
public sealed class ProcessRuntime : IReplicaRuntime
{
    private readonly ProcessRuntimeOptions options;
    private readonly IReplicaInventory? inventory;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, ReplicaProcess> replicas = new(StringComparer.OrdinalIgnoreCase);
    private readonly ExitSubscribers subscribers;
    private readonly AdoptedExitWatch adopted;
    private int disposed;

    /// <param name="inventory">Cluster mode: what the cluster records as running, for the listing (see remarks).</param>
    public ProcessRuntime(ProcessRuntimeOptions? options = null, ILogger<ProcessRuntime>? logger = null, IReplicaInventory? inventory = null)
    {
        this.options = options ?? new ProcessRuntimeOptions();
        this.options.Validate();
        this.inventory = inventory;
        this.logger = logger ?? NullLogger<ProcessRuntime>.Instance;
        subscribers = new ExitSubscribers(this.logger);
        adopted = new AdoptedExitWatch(this.options.AdoptedExitPollInterval, OnAdoptedExited, this.logger);
    }

    public ProcessRuntimeOptions Options => options;

    /// <summary>Every failure, a missing binary included, is a faulted task: the caller's PipeTo must see it.</summary>
    public Task<RunningReplica> StartAsync(string hostname, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(Start(hostname));
        }
        catch (Exception exception)
        {
            return Task.FromException<RunningReplica>(exception);
        }
    }

    public async Task StopAsync(RunningReplica replica, CancellationToken cancellationToken)
    {
        // By process id, not by name: a replacement may run under the name of the replica being cleaned up.
        if (!replicas.TryGetValue(replica.Hostname, out var tracked) || tracked.Replica.InstanceId != replica.InstanceId)
        {
            if (adopted.All.FirstOrDefault(process => process.Replica == replica) is { } adoptedProcess)
            {
                await StopAdoptedAsync(adoptedProcess, cancellationToken);
            }

            return;
        }

        tracked.RequestStop();
        try
        {
            await tracked.Exited.WaitAsync(options.StopTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // A hung (or SIGSTOPped) replica ignores its closed input: kill it.
            logger.LogWarning("Replica {Hostname} did not stop within {Timeout}; killing it", replica.Hostname, options.StopTimeout);
            tracked.Kill();
            await tracked.Exited.WaitAsync(cancellationToken);
        }

        await tracked.Released.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// This runtime's live replicas: the processes it started and, in cluster mode, those it adopts now or did
    /// before from the inventory; oldest first. An inventory that cannot be read fails the listing.
    /// </summary>
    public async Task<IReadOnlyList<RunningReplica>> ListAsync(CancellationToken cancellationToken)
    {
        if (inventory is not null && options.OutliveBalancer)
        {
            IReadOnlyList<RunningReplica> recorded;
            try
            {
                recorded = await inventory.ReadAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new RuntimeUnavailableException($"The cluster's replica inventory could not be read: {exception.Message}", exception);
            }

            foreach (var replica in recorded)
            {
                Adopt(replica);
            }
        }

        var children = replicas.Values.Where(tracked => !tracked.HasExited)
            .Select(tracked => (tracked.Replica, Started: StartTicksOf(tracked.Replica)));
        var taken = adopted.All.Where(process => process.Identity.IsAlive)
            .Select(process => (process.Replica, Started: process.Identity.StartTicks));
        return children.Concat(taken).OrderBy(replica => replica.Started).Select(replica => replica.Replica).ToArray();
    }

    public IDisposable SubscribeToExits(Action<ReplicaExited> onExit) => subscribers.Add(onExit);

    /// <summary>Stops every replica it runs; in cluster mode leaves them running for the next scheduler instead.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        if (options.OutliveBalancer)
        {
            foreach (var tracked in replicas.Values)
            {
                tracked.Detach();
            }

            await adopted.DisposeAsync();
            return;
        }

        await Task.WhenAll(replicas.Values.ToArray().Select(tracked => StopAsync(tracked.Replica, CancellationToken.None)));
        await adopted.DisposeAsync();
    }

    /// <summary>
    /// Takes over a recorded replica if its process still runs and is really it: the pid's start environment
    /// names the same hostname, address and this runtime's instance id (a pid reused by anything else does not).
    /// </summary>
    private void Adopt(RunningReplica recorded)
    {
        if (replicas.TryGetValue(recorded.Hostname, out var own) && !own.HasExited
            || adopted.All.Any(process => string.Equals(process.Replica.Hostname, recorded.Hostname, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        if (!int.TryParse(recorded.InstanceId, out var pid) || ProcessIdentity.Read(pid) is not { } identity)
        {
            logger.LogInformation("Not adopting replica {Hostname}: process {Pid} no longer runs", recorded.Hostname, recorded.InstanceId);
            return;
        }

        var environment = identity.StartEnvironment();
        var isThatReplica = environment.GetValueOrDefault("SERVER_ID") == recorded.Hostname
            && environment.GetValueOrDefault("ASPNETCORE_URLS") == recorded.Address.ToString()
            && environment.GetValueOrDefault(ProcessRuntimeOptions.InstanceVariable) == options.InstanceId;
        // Read again after the environment: the pid must not have changed hands in between.
        if (!isThatReplica || !identity.IsAlive)
        {
            logger.LogWarning("Not adopting replica {Hostname}: process {Pid} is not that replica of instance {Instance} (its pid was reused)",
                recorded.Hostname, pid, options.InstanceId);
            return;
        }

        if (adopted.Add(new AdoptedProcess(recorded, identity)))
        {
            logger.LogInformation("Adopted replica {Hostname} (process {Pid} at {Address}), started by another node", recorded.Hostname, pid, recorded.Address);
        }
    }

    private async Task StopAdoptedAsync(AdoptedProcess process, CancellationToken cancellationToken)
    {
        process.RequestStop();
        try
        {
            await process.Exited.WaitAsync(options.StopTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Adopted replica {Hostname} did not stop within {Timeout}; killing it", process.Replica.Hostname, options.StopTimeout);
            process.Kill();
            await process.Exited.WaitAsync(cancellationToken);
        }
    }

    private void OnAdoptedExited(AdoptedProcess process)
    {
        var reason = $"adopted process {process.Replica.InstanceId} exited";
        if (process.StopRequested)
        {
            logger.LogInformation("Replica {Hostname} stopped: {Reason}", process.Replica.Hostname, reason);
        }
        else
        {
            logger.LogWarning("Replica {Hostname} exited unexpectedly: {Reason}", process.Replica.Hostname, reason);
        }

        subscribers.Raise(new ReplicaExited(process.Replica.Hostname, process.Replica.InstanceId, reason));
    }

    private static long StartTicksOf(RunningReplica replica) =>
        int.TryParse(replica.InstanceId, out var pid) && ProcessIdentity.Read(pid) is { } identity ? identity.StartTicks : long.MaxValue;

    private RunningReplica Start(string hostname)
    {
        if (replicas.ContainsKey(hostname)
            || adopted.All.Any(process => string.Equals(process.Replica.Hostname, hostname, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ReplicaNameConflictException($"A replica named '{hostname}' already runs");
        }

        if (!File.Exists(options.ReplicaServerPath))
        {
            throw new RuntimeUnavailableException($"ReplicaServer was not found at '{options.ReplicaServerPath}'");
        }

        var port = FreeLoopbackPort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var process = new System.Diagnostics.Process { StartInfo = StartInfo(hostname, address), EnableRaisingEvents = true };
        var log = OpenLog(hostname);
        try
        {
            if (!process.Start())
            {
                throw new RuntimeUnavailableException($"ReplicaServer for '{hostname}' did not start");
            }
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException or RuntimeUnavailableException)
        {
            log?.Dispose();
            process.Dispose();
            throw exception as RuntimeUnavailableException
                ?? new RuntimeUnavailableException($"ReplicaServer for '{hostname}' could not be started: {exception.Message}", exception);
        }

        var replica = new RunningReplica(hostname, address, process.Id.ToString());
        var tracked = new ReplicaProcess(process, replica, log, watchesInput: !options.OutliveBalancer);
        if (!replicas.TryAdd(hostname, tracked))
        {
            // Lost a race for the name: this process never becomes a replica, but its pipes are released all the same.
            tracked.Watch(orphan => _ = orphan.ReleaseAsync());
            tracked.RequestStop();
            throw new ReplicaNameConflictException($"A replica named '{hostname}' already runs");
        }

        tracked.Watch(OnExited);
        logger.LogInformation("Started replica {Hostname} as process {Pid} on {Address}", hostname, process.Id, address);
        return replica;
    }

    private ProcessStartInfo StartInfo(string hostname, Uri address)
    {
        var isDll = options.ReplicaServerPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var startInfo = new ProcessStartInfo(isDll ? "dotnet" : options.ReplicaServerPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(options.ReplicaServerPath))!,
        };
        if (isDll)
        {
            startInfo.ArgumentList.Add(options.ReplicaServerPath);
        }

        startInfo.Environment["SERVER_ID"] = hostname;
        startInfo.Environment["ASPNETCORE_URLS"] = address.ToString();
        startInfo.Environment[ProcessRuntimeOptions.InstanceVariable] = options.InstanceId;
        if (options.OutliveBalancer)
        {
            // No parent watch: the replica outlives this node and ends when no node heartbeats it.
            startInfo.Environment["REPLICA_ORPHAN_AFTER"] = options.OrphanAfter.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            startInfo.Environment.Remove("EXIT_WHEN_STDIN_CLOSES");
        }
        else
        {
            startInfo.Environment["EXIT_WHEN_STDIN_CLOSES"] = "true";
            startInfo.Environment.Remove("REPLICA_ORPHAN_AFTER");
        }

        // Workstation GC: a handful of small replicas on few cores must not each reserve a heap per core.
        startInfo.Environment["DOTNET_gcServer"] = "0";
        startInfo.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        return startInfo;
    }

    private StreamWriter? OpenLog(string hostname)
    {
        if (options.ReplicaLogDirectory is null)
        {
            return null;
        }

        Directory.CreateDirectory(options.ReplicaLogDirectory);
        return new StreamWriter(Path.Combine(options.ReplicaLogDirectory, $"{hostname}.log"), append: true) { AutoFlush = true };
    }

    /// <summary>Runs once per process, when it has exited for any reason: reports it, then releases its pipes.</summary>
    private void OnExited(ReplicaProcess tracked)
    {
        // Only this very process leaves the table: a replacement under the same name stays.
        ((ICollection<KeyValuePair<string, ReplicaProcess>>)replicas).Remove(new(tracked.Replica.Hostname, tracked));
        var reason = tracked.ExitReason;
        if (tracked.StopRequested)
        {
            logger.LogInformation("Replica {Hostname} stopped: {Reason}", tracked.Replica.Hostname, reason);
        }
        else
        {
            logger.LogWarning("Replica {Hostname} exited unexpectedly: {Reason}", tracked.Replica.Hostname, reason);
        }

        subscribers.Raise(new ReplicaExited(tracked.Replica.Hostname, tracked.Replica.InstanceId, reason));
        tracked.MarkExitReported();
        _ = tracked.ReleaseAsync();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
