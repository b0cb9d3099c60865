using System.Diagnostics;
using Experiments.Live.Processes;

namespace Experiments.Live.Balancers;

/// <summary>
/// A built Balancer.Web started as a process on a free loopback port (never 5000), with its own
/// ReplicaServer processes: the experiments' embedded target and the tests' real balancer. Disposal
/// stops it with SIGTERM (SIGKILL if it does not exit) and kills any replica process it left behind.
/// Its management listener (<c>Balancer:Management:Urls</c>) gets a free loopback port too, so that
/// balancers started side by side (parallel tests, a <c>make run</c> beside them) never share one.
/// </summary>
public sealed class EmbeddedBalancer : IBalancerTarget
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(40);

    private readonly Process process;
    private readonly StringWriter log = new();
    // Each replica process seen, with its start time: a pid reused since by anything else is not swept.
    private readonly Dictionary<int, long?> replicaPidsSeen = [];

    private EmbeddedBalancer(Process process, Uri address, Uri managementAddress, string description)
    {
        this.process = process;
        Api = new BalancerApi(address);
        ManagementAddress = managementAddress;
        Description = description;
    }

    public BalancerApi Api { get; }

    public string Description { get; }

    /// <summary>The management listener (/metrics, /status, /healthz, /readyz), on a free port of its own.</summary>
    public Uri ManagementAddress { get; }

    /// <summary>Everything the balancer wrote to stdout and stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="binary"/> with N replicas and the given command-line settings, and waits
    /// until /rep lists all N and their processes run. A balancer that refuses its configuration exits:
    /// the exception then carries its log.
    /// </summary>
    /// <param name="replicaProcesses">
    /// How many replica processes must run, at least: N by default (a balancer that keeps spares runs
    /// more); 0 for a runtime whose replicas are not child processes (Docker).
    /// </param>
    /// <param name="readyWithin">How long it may take to list N (default 60 s; a cluster node waits for the others too).</param>
    public static async Task<EmbeddedBalancer> StartAsync(string binary, int replicas, IReadOnlyList<string> settings, string? label = null,
        int? replicaProcesses = null, TimeSpan? readyWithin = null)
    {
        var port = LoopbackPorts.Free();
        // A port of its own, so balancers started side by side never collide on the default 8404.
        var managementPort = LoopbackPorts.Free();
        while (managementPort == port)
        {
            managementPort = LoopbackPorts.Free();
        }

        var startInfo = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(binary)!,
        };
        startInfo.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        startInfo.ArgumentList.Add($"--Balancer:Replicas={replicas}");
        startInfo.ArgumentList.Add($"--Balancer:Management:Urls=http://127.0.0.1:{managementPort}");
        foreach (var setting in settings)
        {
            startInfo.ArgumentList.Add(setting);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {binary}");
        var description = label is null ? $"embedded on port {port}" : $"embedded ({label}) on port {port}";
        var balancer = new EmbeddedBalancer(process, new Uri($"http://127.0.0.1:{port}"), new Uri($"http://127.0.0.1:{managementPort}"), description);
        process.OutputDataReceived += balancer.Append;
        process.ErrorDataReceived += balancer.Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!await balancer.WaitForReplicasAsync(replicas, replicaProcesses ?? replicas, readyWithin ?? ReadyWithin))
        {
            await balancer.DisposeAsync();
            throw new InvalidOperationException($"The balancer did not start {replicas} replicas:\n{balancer.Log}");
        }

        return balancer;
    }

    /// <summary>The balancer's own process id.</summary>
    public int Pid => process.Id;

    /// <summary>The balancer's live ReplicaServer children, by SERVER_ID.</summary>
    public IReadOnlyDictionary<string, int> ReplicaPids()
    {
        var pids = ReplicaProcesses.Of(process.Id);
        lock (replicaPidsSeen)
        {
            foreach (var pid in pids.Values.Where(pid => !replicaPidsSeen.ContainsKey(pid)))
            {
                replicaPidsSeen[pid] = ReplicaProcesses.StartTicks(pid);
            }
        }

        return pids;
    }

    public Task KillReplicaAsync(string hostname, CancellationToken cancellationToken)
    {
        if (!ReplicaPids().TryGetValue(hostname, out var pid))
        {
            throw new InvalidOperationException($"no process found for replica {hostname}");
        }

        Signals.Send("KILL", pid);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Sends the balancer <paramref name="signal"/> and waits until it has exited and its output is read;
    /// <see cref="OperationCanceledException"/> if it is still running after 40 s.
    /// </summary>
    public async Task StopAsync(string signal = "TERM")
    {
        if (!process.HasExited)
        {
            Signals.Send(signal, process.Id);
        }

        using var timeout = new CancellationTokenSource(ExitWithin);
        await process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        ReplicaPids();
        try
        {
            // SIGTERM lets the balancer stop its replicas itself, as it would in production.
            await StopAsync();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        SweepLeftoverReplicas();
        Api.Dispose();
        process.Dispose();
    }

    /// <summary>Kills the replicas this balancer started that outlived it (a stopped one too: CONT first).</summary>
    private void SweepLeftoverReplicas()
    {
        KeyValuePair<int, long?>[] seen;
        lock (replicaPidsSeen)
        {
            seen = [.. replicaPidsSeen];
        }

        // Only a pid that is still the process seen (same start time): one reused since by anything else
        // is left alone. Not by name: a replica may be any executable at the replica path (the fault replica).
        foreach (var (pid, startTicks) in seen)
        {
            if (startTicks is not null && ReplicaProcesses.IsAlive(pid) && ReplicaProcesses.StartTicks(pid) == startTicks)
            {
                Signals.Send("CONT", pid);
                Signals.Send("KILL", pid);
            }
        }
    }

    private async Task<bool> WaitForReplicasAsync(int replicas, int replicaProcesses, TimeSpan readyWithin)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < readyWithin && !process.HasExited)
        {
            try
            {
                if ((await Api.ListAsync()).N == replicas && ReplicaPids().Count >= replicaProcesses)
                {
                    return true;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        return false;
    }

    private void Append(object sender, DataReceivedEventArgs line)
    {
        if (line.Data is not null)
        {
            lock (log)
            {
                log.WriteLine(line.Data);
            }
        }
    }
}
