using System.Runtime;
using Balancer.Actors.Runtime;
using Balancer.Actors.Runtime.Process;
using Balancer.Tests.Support;
using Xunit.Abstractions;

namespace Balancer.Tests.Runtime;

/// <summary>What a long run of crashes and replacements leaves behind in the balancer's own process.</summary>
public sealed class ProcessRuntimeLeakTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Cycles = 30;
    private const int Tolerance = 10;
    private const long NoCollectionBudget = 128L * 1024 * 1024;
    private static readonly TimeSpan Within = RuntimeUnderTest.Within;

    private readonly RuntimeUnderTest under = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await under.DisposeAsync();

    [Fact]
    public async Task ThirtySigkillsAndReplacementsLeaveTheOpenFileDescriptorsAsTheyWere()
    {
        // One whole cycle first: the runtime's and the HTTP stack's one-time descriptors open here.
        var current = await StartServingAsync("warm-up");
        await KillAndAwaitExitAsync(current);
        current = await StartServingAsync("r0");
        // Garbage of earlier tests goes now; then no collection runs during the cycles, so a pipe the
        // runtime forgets to close stays open instead of being closed by a finalizer at a lucky moment.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = OpenFileDescriptors();
        var withoutCollections = GC.TryStartNoGCRegion(NoCollectionBudget);

        var after = before;
        var settled = false;
        try
        {
            for (var cycle = 1; cycle <= Cycles; cycle++)
            {
                await KillAndAwaitExitAsync(current);
                current = await StartServingAsync($"r{cycle}");
            }

            // The last exit's clean-up may still be under way: wait for the count, never for a fixed time.
            settled = await Eventually.HoldsAsync(() =>
            {
                after = OpenFileDescriptors();
                return Task.FromResult(Math.Abs(after - before) <= Tolerance);
            }, Within, TimeSpan.FromMilliseconds(50));
        }
        finally
        {
            withoutCollections = withoutCollections && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;
            if (withoutCollections)
            {
                GC.EndNoGCRegion();
            }
        }

        output.WriteLine($"measured: open descriptors {before} before, {after} after {Cycles} SIGKILL -> replacement cycles " +
            $"({(withoutCollections ? "no" : "some")} garbage collections meanwhile)");

        Assert.True(settled, $"{after - before:+#;-#;0} open descriptors after {Cycles} cycles ({before} -> {after})");
        Assert.Equal([current.Hostname], (await under.Runtime.ListAsync(CancellationToken.None)).Select(replica => replica.Hostname));
    }

    private async Task<RunningReplica> StartServingAsync(string hostname)
    {
        var replica = await under.StartAsync(hostname);
        // A client of its own, disposed with its connections, so the test's sockets are not counted.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var serving = await Eventually.HoldsAsync(
            async () => (await http.GetAsync(new Uri(replica.Address, "/heartbeat"))).IsSuccessStatusCode,
            Within,
            TimeSpan.FromMilliseconds(20));
        Assert.True(serving, $"{hostname} never answered at {replica.Address}");
        return replica;
    }

    private async Task KillAndAwaitExitAsync(RunningReplica replica)
    {
        Signals.Send("KILL", int.Parse(replica.InstanceId));
        await under.ExitOfAsync(replica);
    }

    private static int OpenFileDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd").Length;
}
