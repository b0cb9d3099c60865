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
public sealed class ProcessRuntime : IReplicaRuntime
{
    private readonly ProcessRuntimeOptions options;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, ReplicaProcess> replicas = new(StringComparer.OrdinalIgnoreCase);
    private readonly ExitSubscribers subscribers;

    public ProcessRuntime(ProcessRuntimeOptions? options = null, ILogger<ProcessRuntime>? logger = null)
    {
        this.options = options ?? new ProcessRuntimeOptions();
        this.logger = logger ?? NullLogger<ProcessRuntime>.Instance;
        subscribers = new ExitSubscribers(this.logger);
    }

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

    public Task<IReadOnlyList<RunningReplica>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RunningReplica>>(replicas.Values.Where(tracked => !tracked.HasExited)
            .Select(tracked => tracked.Replica).ToArray());

    public IDisposable SubscribeToExits(Action<ReplicaExited> onExit) => subscribers.Add(onExit);

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(replicas.Values.ToArray().Select(tracked => StopAsync(tracked.Replica, CancellationToken.None)));
    }

    private RunningReplica Start(string hostname)
    {
        if (replicas.ContainsKey(hostname))
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
        var tracked = new ReplicaProcess(process, replica, log);
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
        startInfo.Environment["EXIT_WHEN_STDIN_CLOSES"] = "true";
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
