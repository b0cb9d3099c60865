using System.Diagnostics;
using System.Threading.Channels;
using Balancer.Actors.Runtime;
using Balancer.Actors.Runtime.Process;
using Balancer.Tests.Support;

namespace Balancer.Tests.Runtime;

/// <summary>
/// The process runtime in cluster mode (<c>OutliveBalancer</c>): replicas outlive the runtime that started
/// them, a runtime on another node adopts them from the inventory (only processes that are really those
/// replicas), stops them by signal and notices their exits although they are not its children.
/// </summary>
public sealed class ProcessRuntimeClusterModeTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private readonly string instance = $"test-{Guid.NewGuid():N}"[..13];
    private readonly List<int> pids = [];
    private readonly List<ProcessRuntime> runtimes = [];
    private readonly ListedInventory inventory = new();
    private readonly Channel<ReplicaExited> exits = Channel.CreateUnbounded<ReplicaExited>();
    private readonly HttpClient client = new() { Timeout = TimeSpan.FromSeconds(2) };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var runtime in runtimes)
        {
            await runtime.DisposeAsync();
        }

        foreach (var pid in pids.Where(ReplicaProcesses.IsAlive))
        {
            Signals.Send("KILL", pid);
        }

        client.Dispose();
    }

    [Fact]
    public async Task AReplicaOutlivesTheRuntimeThatStartedItAndCarriesTheOrphanRuleAndTheMarker()
    {
        var starter = Runtime(orphanAfter: TimeSpan.FromSeconds(30));
        var replica = await StartAsync(starter, "S1");

        await starter.DisposeAsync();

        Assert.True(ReplicaProcesses.IsAlive(Pid(replica)), "the replica ended with the runtime that started it");
        await AssertServesAsync(replica);
        var environment = File.ReadAllText($"/proc/{Pid(replica)}/environ").Split('\0');
        Assert.Contains("REPLICA_ORPHAN_AFTER=30", environment);
        Assert.Contains($"{ProcessRuntimeOptions.InstanceVariable}={instance}", environment);
        Assert.DoesNotContain(environment, variable => variable.StartsWith("EXIT_WHEN_STDIN_CLOSES=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnotherRuntimeAdoptsTheRecordedReplicaStopsItBySignalAndReportsTheExitFirst()
    {
        var replica = await StartedByAnEndedNodeAsync("S1");

        var adopter = Runtime(subscribe: true);
        Assert.Equal([replica], await adopter.ListAsync(CancellationToken.None));

        await adopter.StopAsync(replica, CancellationToken.None);

        Assert.False(ReplicaProcesses.IsAlive(Pid(replica)), "the adopted replica still runs after its stop");
        Assert.True(exits.Reader.TryRead(out var exited), "the exit was not reported by the time the stop returned");
        Assert.Equal((replica.Hostname, replica.InstanceId), (exited.Hostname, exited.InstanceId));
        Assert.Empty(await adopter.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TheExitOfAnAdoptedReplicaThatIsNoChildIsNoticed()
    {
        var replica = await StartedByAnEndedNodeAsync("S1");
        var adopter = Runtime(subscribe: true);
        Assert.Equal([replica], await adopter.ListAsync(CancellationToken.None));

        var killed = Stopwatch.StartNew();
        Signals.Send("KILL", Pid(replica));
        var exited = await NextExitAsync();

        Assert.Equal((replica.Hostname, replica.InstanceId), (exited.Hostname, exited.InstanceId));
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(5), $"the exit was noticed only after {killed.Elapsed.TotalMilliseconds:0} ms");
        inventory.Record();
        Assert.Empty(await adopter.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task OnlyProcessesThatAreReallyTheRecordedReplicasAreAdopted()
    {
        var starter = Runtime();
        var real = await StartAsync(starter, "S1");
        var other = await StartAsync(Runtime(instanceId: "someone-else"), "S2");
        await starter.DisposeAsync();
        using var stranger = Process.Start("sleep", "60");
        pids.Add(stranger.Id);
        var dead = Process.Start("true")!;
        await dead.WaitForExitAsync();

        inventory.Record(
            real,
            // Its pid now belongs to something else: an unrelated process.
            new RunningReplica("S3", new Uri("http://127.0.0.1:1/"), stranger.Id.ToString()),
            // A process that has ended.
            new RunningReplica("S4", new Uri("http://127.0.0.1:2/"), dead.Id.ToString()),
            // A ReplicaServer of another instance (another cluster's, or make run's).
            other,
            // The right process under another name or address.
            real with { Hostname = "S5" },
            real with { Address = new Uri("http://127.0.0.1:3/") },
            new RunningReplica("S6", new Uri("http://127.0.0.1:4/"), "not-a-pid"));

        var listed = await Runtime().ListAsync(CancellationToken.None);

        Assert.Equal([real], listed);
    }

    [Fact]
    public async Task AnInventoryThatCannotBeReadFailsTheListingInsteadOfListingNothing()
    {
        inventory.FailWith(new TimeoutException("no majority"));

        var listing = Runtime().ListAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<RuntimeUnavailableException>(() => listing);
        Assert.Contains("no majority", error.Message);
    }

    [Fact]
    public async Task AReplicaNoNodeHeartbeatsExitsAfterTheOrphanTime()
    {
        var starter = Runtime(orphanAfter: TimeSpan.FromSeconds(1));
        var replica = await StartAsync(starter, "S1");
        await starter.DisposeAsync();

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(!ReplicaProcesses.IsAlive(Pid(replica))), Within),
            "an orphaned replica is still running");
    }

    [Fact]
    public async Task ItsOwnReplicasAreStoppedBySignalAndListedBesideTheAdoptedOldestFirst()
    {
        var old = await StartedByAnEndedNodeAsync("S1");
        var adopter = Runtime(subscribe: true);
        var own = await StartAsync(adopter, "S2");

        Assert.Equal([old, own], await adopter.ListAsync(CancellationToken.None));
        await Assert.ThrowsAsync<ReplicaNameConflictException>(() => adopter.StartAsync("S1", CancellationToken.None));

        await adopter.StopAsync(own, CancellationToken.None);
        Assert.False(ReplicaProcesses.IsAlive(Pid(own)));
        Assert.True(exits.Reader.TryRead(out var exited) && exited.InstanceId == own.InstanceId, "the own replica's exit was not reported");
    }

    private ProcessRuntime Runtime(TimeSpan? orphanAfter = null, string? instanceId = null, bool subscribe = false)
    {
        var runtime = new ProcessRuntime(
            new ProcessRuntimeOptions
            {
                OutliveBalancer = true,
                OrphanAfter = orphanAfter ?? TimeSpan.FromSeconds(60),
                InstanceId = instanceId ?? instance,
                StopTimeout = TimeSpan.FromSeconds(5),
                AdoptedExitPollInterval = TimeSpan.FromMilliseconds(50),
            },
            inventory: inventory);
        if (subscribe)
        {
            runtime.SubscribeToExits(exited => exits.Writer.TryWrite(exited));
        }

        runtimes.Add(runtime);
        return runtime;
    }

    /// <summary>A replica whose starting runtime has ended (a node that went away) and that the cluster recorded.</summary>
    private async Task<RunningReplica> StartedByAnEndedNodeAsync(string hostname)
    {
        var starter = Runtime();
        var replica = await StartAsync(starter, hostname);
        await starter.DisposeAsync();
        inventory.Record(replica);
        return replica;
    }

    private async Task<RunningReplica> StartAsync(ProcessRuntime runtime, string hostname)
    {
        var replica = await runtime.StartAsync(hostname, CancellationToken.None);
        pids.Add(Pid(replica));
        await AssertServesAsync(replica);
        return replica;
    }

    private async Task AssertServesAsync(RunningReplica replica) =>
        Assert.True(await Eventually.HoldsAsync(async () => (await client.GetAsync(new Uri(replica.Address, "/home"))).IsSuccessStatusCode, Within),
            $"{replica.Hostname} does not serve");

    private async Task<ReplicaExited> NextExitAsync()
    {
        using var timeout = new CancellationTokenSource(Within);
        return await exits.Reader.ReadAsync(timeout.Token);
    }

    private static int Pid(RunningReplica replica) => int.Parse(replica.InstanceId);
}
