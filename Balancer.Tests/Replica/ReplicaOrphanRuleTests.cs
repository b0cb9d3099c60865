using System.Diagnostics;
using Balancer.Tests.Support;

namespace Balancer.Tests.Replica;

/// <summary>
/// ReplicaServer's opt-in orphan rule (cluster mode): it exits once no GET /heartbeat reached it for the
/// configured time, and lives on while heartbeats come, whoever sends them.
/// </summary>
public sealed class ReplicaOrphanRuleTests : IDisposable
{
    private static readonly TimeSpan OrphanAfter = TimeSpan.FromSeconds(2);

    private readonly HttpClient client = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly List<Process> started = [];

    public void Dispose()
    {
        foreach (var process in started)
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }

        client.Dispose();
    }

    [Fact]
    public async Task WithOrphanAfterOnTheCommandLineItExitsWhenNoHeartbeatCame()
    {
        var (replica, port) = await StartAsync(startInfo => startInfo.ArgumentList.Add($"--orphan-after={OrphanAfter.TotalSeconds}"));
        // Started before the heartbeat is sent, so it can only overstate the silence the replica saw.
        var lastHeartbeat = Stopwatch.StartNew();
        await HeartbeatAsync(port);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await replica.WaitForExitAsync(timeout.Token);

        Assert.True(lastHeartbeat.Elapsed >= OrphanAfter, $"it exited {lastHeartbeat.Elapsed.TotalSeconds:0.00} s after the last heartbeat");
        Assert.Equal(0, replica.ExitCode);
    }

    [Fact]
    public async Task HeartbeatsKeepItAliveLongPastTheOrphanTimeThenSilenceEndsIt()
    {
        var (replica, port) = await StartAsync(startInfo => startInfo.Environment["REPLICA_ORPHAN_AFTER"] = OrphanAfter.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Two orphan times of heartbeats every 200 ms: every one is answered and the process stays.
        var heartbeating = Stopwatch.StartNew();
        while (heartbeating.Elapsed < OrphanAfter * 2)
        {
            await HeartbeatAsync(port);
            Assert.False(replica.HasExited, $"it exited {heartbeating.Elapsed.TotalSeconds:0.00} s into regular heartbeats");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await replica.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, replica.ExitCode);
    }

    [Fact]
    public async Task WithTheOrphanRuleItIgnoresSigintLikeAReplicaItsBalancerWatches()
    {
        var (replica, port) = await StartAsync(startInfo => startInfo.ArgumentList.Add("--orphan-after=30"));

        Signals.Send("INT", replica.Id);
        // The heartbeat after the signal is answered: the signal was handled (ignored) before it, in order.
        await HeartbeatAsync(port);
        Assert.False(replica.HasExited);

        Signals.Send("TERM", replica.Id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await replica.WaitForExitAsync(timeout.Token);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("soon")]
    public async Task AnOrphanTimeThatIsNoPositiveNumberStopsItAtStartUp(string value)
    {
        var startInfo = ReplicaServerBinary.StartInfo("bad", LoopbackPorts.Free());
        startInfo.ArgumentList.Add($"--orphan-after={value}");
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardOutput = true;
        var replica = Start(startInfo);
        var errors = replica.StandardError.ReadToEndAsync();
        _ = replica.StandardOutput.ReadToEndAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await replica.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(0, replica.ExitCode);
        Assert.Contains("--orphan-after", await errors);
    }

    private async Task<(Process Replica, int Port)> StartAsync(Action<ProcessStartInfo> configure)
    {
        var port = LoopbackPorts.Free();
        var startInfo = ReplicaServerBinary.StartInfo("orphan", port);
        configure(startInfo);
        var replica = Start(startInfo);
        var up = await Eventually.HoldsAsync(async () => (await client.GetAsync($"http://127.0.0.1:{port}/home")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(20));
        Assert.True(up, "ReplicaServer did not answer within 20 s");
        return (replica, port);
    }

    private Process Start(ProcessStartInfo startInfo)
    {
        var process = Process.Start(startInfo)!;
        started.Add(process);
        return process;
    }

    private async Task HeartbeatAsync(int port)
    {
        using var response = await client.GetAsync($"http://127.0.0.1:{port}/heartbeat");
        Assert.True(response.IsSuccessStatusCode);
    }
}
