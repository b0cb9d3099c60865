using System.Diagnostics;
using Experiments.Live.Balancers;
using Experiments.Live.Processes;

namespace Experiments.Cluster;

/// <summary>
/// Several built Balancer.Web processes on loopback as one Akka.NET cluster (the process runtime): each on
/// free HTTP, management and remoting ports (never the fixed ones of <c>make cluster</c>), all listed as seeds,
/// sharing one process instance id of their own. Replicas outlive the node that started them, so disposing
/// stops every node (SIGTERM) and then every replica process that carries this cluster's instance id.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    /// <summary>Three nodes starting at once on a loaded 2-core machine took up to 57 s to form and list N.</summary>
    private static readonly TimeSpan FormedWithin = TimeSpan.FromSeconds(150);

    private LocalCluster(string instanceId, IReadOnlyList<ClusterNode> nodes)
    {
        InstanceId = instanceId;
        Nodes = nodes;
    }

    /// <summary>Every replica process of this cluster carries it (LB_PROCESS_INSTANCE).</summary>
    public string InstanceId { get; }

    public IReadOnlyList<ClusterNode> Nodes { get; }

    public IEnumerable<ClusterNode> Alive => Nodes.Where(node => !node.Killed);

    /// <summary>
    /// Starts <paramref name="nodes"/> nodes at once and waits until each lists the N replicas and sees every
    /// node up: the cluster is formed and every node routes. A node that refuses its configuration throws with its log.
    /// </summary>
    public static async Task<LocalCluster> StartAsync(string binary, int nodes = 3, int replicas = 3, IReadOnlyList<string>? settings = null)
    {
        var instanceId = $"cluster-{Guid.NewGuid():N}"[..20];
        var remotingPorts = Enumerable.Range(0, nodes).Select(_ => LoopbackPorts.Free()).ToArray();
        var seeds = remotingPorts.Select((port, index) => $"--Balancer:Cluster:SeedNodes:{index}=akka.tcp://balancer@127.0.0.1:{port}").ToArray();
        var starts = remotingPorts.Select((port, index) => EmbeddedBalancer.StartAsync(binary, replicas,
        [
            "--Logging:LogLevel:Default=Warning",
            "--Balancer:Cluster:Hostname=127.0.0.1",
            $"--Balancer:Cluster:Port={port}",
            .. seeds,
            $"--Balancer:Process:InstanceId={instanceId}",
            .. settings ?? [],
        ], $"cluster node {index + 1}", replicaProcesses: 0, readyWithin: FormedWithin)).ToArray();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var started in starts.Where(start => start.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            SweepReplicas(instanceId);
            throw;
        }

        var cluster = new LocalCluster(instanceId, starts.Select((start, index) => new ClusterNode(index + 1, start.Result, remotingPorts[index])).ToArray());
        if (!await cluster.WaitUntilAsync(async () => (await cluster.StatusesAsync()).All(status => status.UpMembers == nodes), FormedWithin))
        {
            await cluster.DisposeAsync();
            throw new InvalidOperationException($"the {nodes} nodes did not all see each other up within {FormedWithin.TotalSeconds:0} s");
        }

        return cluster;
    }

    /// <summary>The node that runs the scheduler (the supervisor singleton), as the live nodes agree it is.</summary>
    public async Task<ClusterNode> SchedulerAsync()
    {
        var schedulers = (await StatusesAsync()).Select(status => status.Scheduler).Distinct().ToArray();
        if (schedulers is not [{ } address])
        {
            throw new InvalidOperationException($"the nodes do not agree on the scheduler: {string.Join(", ", schedulers)}");
        }

        return Nodes.Single(node => node.Address == address);
    }

    public async Task<IReadOnlyList<NodeStatus>> StatusesAsync() => await Task.WhenAll(Alive.Select(node => node.StatusAsync()));

    /// <summary>The live replica processes of this cluster (whichever node started them), by pid.</summary>
    public IReadOnlyList<int> ReplicaProcesses() => ReplicaProcessesOf(InstanceId);

    public async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan within, TimeSpan? every = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException or InvalidOperationException)
            {
                // A node not answering yet, or not agreeing yet.
            }

            if (clock.Elapsed > within)
            {
                return false;
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(50));
        }
    }

    public async ValueTask DisposeAsync()
    {
        // All at once: a node that leaves hands the singleton to the next, which would only be stopped too.
        await Task.WhenAll(Nodes.Select(node => node.Balancer.DisposeAsync().AsTask()));
        SweepReplicas(InstanceId);
    }

    private static void SweepReplicas(string instanceId)
    {
        foreach (var pid in ReplicaProcessesOf(instanceId))
        {
            Signals.Send("CONT", pid);
            Signals.Send("KILL", pid);
        }
    }

    private static IReadOnlyList<int> ReplicaProcessesOf(string instanceId)
    {
        var marker = $"LB_PROCESS_INSTANCE={instanceId}";
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || !Live.Processes.ReplicaProcesses.IsAlive(pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "environ")).Split('\0').Contains(marker))
                {
                    found.Add(pid);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Ended while being read, or not ours.
            }
        }

        return found;
    }
}
