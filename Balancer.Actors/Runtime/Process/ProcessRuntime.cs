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

    public Task<RunningReplica> StartAsync(string hostname, CancellationToken cancellationToken)
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
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            log?.Dispose();
            process.Dispose();
            throw new RuntimeUnavailableException($"ReplicaServer for '{hostname}' could not be started: {exception.Message}", exception);
        }

        var replica = new RunningReplica(hostname, address, process.Id.ToString());
        var tracked = new ReplicaProcess(process, replica, log);
        if (!replicas.TryAdd(hostname, tracked))
        {
            tracked.RequestStop();
            throw new ReplicaNameConflictException($"A replica named '{hostname}' already runs");
        }

        process.OutputDataReceived += tracked.OnOutput;
        process.ErrorDataReceived += tracked.OnOutput;
        process.Exited += (_, _) => OnExited(tracked);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Exited is only raised for exits after the subscription; catch one that came first.
        if (process.HasExited)
        {
            OnExited(tracked);
        }

        logger.LogInformation("Started replica {Hostname} as process {Pid} on {Address}", hostname, process.Id, address);
        return Task.FromResult(replica);
    }

    public async Task StopAsync(string hostname, CancellationToken cancellationToken)
    {
        if (!replicas.TryGetValue(hostname, out var tracked))
        {
            return;
        }

        tracked.RequestStop();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StopTimeout);
        try
        {
            await tracked.Process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A hung (or SIGSTOPped) replica ignores its closed input: kill it.
            logger.LogWarning("Replica {Hostname} did not stop within {Timeout}; killing it", hostname, options.StopTimeout);
            KillQuietly(tracked.Process);
            await tracked.Process.WaitForExitAsync(CancellationToken.None);
        }

        OnExited(tracked);
    }

    public Task<IReadOnlyList<RunningReplica>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RunningReplica>>(replicas.Values.Where(tracked => !tracked.Process.HasExited)
            .Select(tracked => tracked.Replica).ToArray());

    public IDisposable SubscribeToExits(Action<ReplicaExited> onExit) => subscribers.Add(onExit);

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(replicas.Keys.ToArray().Select(hostname => StopAsync(hostname, CancellationToken.None)));
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

    private void OnExited(ReplicaProcess tracked)
    {
        // Removed only if this very process is still the one under that name, and reported once.
        if (!((ICollection<KeyValuePair<string, ReplicaProcess>>)replicas).Remove(new(tracked.Replica.Hostname, tracked)))
        {
            return;
        }

        var reason = tracked.Process.HasExited
            ? $"process {tracked.Replica.InstanceId} exited with code {tracked.Process.ExitCode}"
            : $"process {tracked.Replica.InstanceId} stopped";
        if (tracked.StopRequested)
        {
            logger.LogInformation("Replica {Hostname} stopped: {Reason}", tracked.Replica.Hostname, reason);
        }
        else
        {
            logger.LogWarning("Replica {Hostname} exited unexpectedly: {Reason}", tracked.Replica.Hostname, reason);
        }

        subscribers.Raise(new ReplicaExited(tracked.Replica.Hostname, tracked.Replica.InstanceId, reason));
        tracked.Dispose();
    }

    private static void KillQuietly(System.Diagnostics.Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
