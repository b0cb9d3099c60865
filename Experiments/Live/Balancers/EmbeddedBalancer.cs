using System.Diagnostics;
using Experiments.Live.Processes;

namespace Experiments.Live.Balancers;

/// <summary>
/// The Release build of Balancer.Web started as a process on a free loopback port (never 5000),
/// with its own ReplicaServer processes. Disposal stops it with SIGTERM and kills any replica left.
/// </summary>
internal sealed class EmbeddedBalancer : IBalancerTarget
{
    private readonly Process process;
    private readonly HashSet<int> replicaPidsSeen = [];

    private EmbeddedBalancer(Process process, Uri address, string description)
    {
        this.process = process;
        Api = new BalancerApi(address);
        Description = description;
    }

    public BalancerApi Api { get; }

    public string Description { get; }

    /// <summary>Starts a balancer with N replicas and the given configuration, and waits until all serve.</summary>
    public static async Task<EmbeddedBalancer> StartAsync(int replicas, IReadOnlyList<string> settings, string label)
    {
        var binary = BalancerBinary.Locate();
        var port = LoopbackPorts.Free();
        var startInfo = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            // The balancer logs every request at Information; nobody reads it here.
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(binary)!,
        };
        startInfo.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        startInfo.ArgumentList.Add($"--Balancer:Replicas={replicas}");
        startInfo.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        foreach (var setting in settings)
        {
            startInfo.ArgumentList.Add(setting);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {binary}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var balancer = new EmbeddedBalancer(process, new Uri($"http://127.0.0.1:{port}"), $"embedded ({label}) on port {port}");
        if (!await balancer.WaitForReplicasAsync(replicas, TimeSpan.FromSeconds(60)))
        {
            await balancer.DisposeAsync();
            throw new InvalidOperationException($"the embedded balancer ({label}) did not bring up {replicas} replicas within 60 s");
        }

        return balancer;
    }

    public Task KillReplicaAsync(string hostname, CancellationToken cancellationToken)
    {
        if (!ReplicaPids().TryGetValue(hostname, out var pid))
        {
            throw new InvalidOperationException($"no process found for replica {hostname}");
        }

        Process.GetProcessById(pid).Kill();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        ReplicaPids();
        if (!process.HasExited)
        {
            // SIGTERM lets the balancer stop its replicas itself, as it would in production.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        // Only pids this balancer started; a pid reused since would not be its child any more.
        foreach (var pid in replicaPidsSeen.Where(ReplicaProcesses.IsAlive))
        {
            try
            {
                using var orphan = Process.GetProcessById(pid);
                if (orphan.ProcessName.StartsWith("ReplicaServer", StringComparison.Ordinal))
                {
                    orphan.Kill();
                }
            }
            catch (ArgumentException)
            {
                // Ended meanwhile.
            }
        }

        Api.Dispose();
        process.Dispose();
    }

    private IReadOnlyDictionary<string, int> ReplicaPids()
    {
        var pids = ReplicaProcesses.Of(process.Id);
        replicaPidsSeen.UnionWith(pids.Values);
        return pids;
    }

    private async Task<bool> WaitForReplicasAsync(int replicas, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit && !process.HasExited)
        {
            try
            {
                if ((await Api.ListAsync()).Count == replicas && ReplicaPids().Count == replicas)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        return false;
    }
}
