using System.Diagnostics;
using Balancer.Tests.Support;
using Experiments.Live.Balancers;

namespace Balancer.Tests.Api;

/// <summary>
/// Ordinary faults a user meets on <c>make run</c>, against the real balancer: each is answered within its
/// deadline with a clear failure, changes nothing it should not, and the next admin call works.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ControlPlaneFaultTests
{
    [Fact]
    public async Task AMissingReplicaBinaryFailsTheAddAtOnceAndTheNextAddWorksOnceItIsBack()
    {
        // The replica path is a launcher script the test can take away and put back: "the binary is missing".
        var folder = Directory.CreateTempSubdirectory("lb-replica-path-");
        var launcher = Path.Combine(folder.FullName, "replica");
        await using var balancer = await TestBalancer.StartAsync(0, $"--Balancer:ReplicaServerPath={launcher}");

        var watch = Stopwatch.StartNew();
        var failed = await balancer.Api.AddAsync(1, "S9");
        Assert.True(failed.Status >= 500, $"expected a failure, got {failed.Status} {failed.Body}");
        Assert.Contains("not found", failed.Body, StringComparison.OrdinalIgnoreCase);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the failure took {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.Empty((await balancer.Api.ListAsync()).Replicas);

        await File.WriteAllTextAsync(launcher, $"#!/bin/sh\nexec '{ReplicaServerBinary.Path}' \"$@\"\n");
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var added = await balancer.Api.AddAsync(1, "S9");
        Assert.Equal(200, added.Status);
        Assert.Equal(["S9"], (await balancer.Api.ListAsync()).Replicas);
        var removed = await balancer.Api.RemoveAsync(1, "S9");
        Assert.Equal(200, removed.Status);
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task AHostnameWithATrailingNewlineIsRefusedAndTheSetIsKept()
    {
        await using var balancer = await TestBalancer.StartAsync(3);
        Assert.Equal(200, (await balancer.Api.RemoveAsync(1, "S3")).Status);

        var refused = await balancer.Api.SendAsync(HttpMethod.Post, "/add", """{"n":1,"hostnames":["S5\n"]}""");

        Assert.Equal(400, refused.Status);
        Assert.Equal("failure", refused.Json.GetProperty("status").GetString());
        Assert.Equal(["S1", "S2"], (await balancer.Api.ListAsync()).Replicas);
        Assert.Equal(200, (await balancer.Api.AddAsync(1, "S5")).Status);
        Assert.Equal(["S1", "S2", "S5"], (await balancer.Api.ListAsync()).Replicas);
    }

    [Fact]
    public async Task ThirtyKillAndReplacementCyclesLeaveTheBalancersOpenFilesAsTheyWere()
    {
        // Every kill counts as a replica that was stable, so no crash-loop backoff slows the cycles down.
        await using var balancer = await TestBalancer.StartAsync(3, "--Balancer:Backoff:StableAfter=00:00:00.001");
        await KillAndAwaitReplacementAsync(balancer); // the first replacement warms up what stays open
        var before = OpenFiles(balancer.Pid);

        for (var cycle = 0; cycle < 30; cycle++)
        {
            await KillAndAwaitReplacementAsync(balancer);
        }

        // Pipes of the last replaced process may close a moment after its replacement serves.
        var settled = await Eventually.HoldsAsync(() => Task.FromResult(Math.Abs(OpenFiles(balancer.Pid) - before) <= 10), TimeSpan.FromSeconds(10));
        Assert.True(settled, $"open files went from {before} to {OpenFiles(balancer.Pid)} over 30 replacements");
    }

    private static async Task KillAndAwaitReplacementAsync(EmbeddedBalancer balancer)
    {
        var listed = (await balancer.Api.ListAsync()).Replicas;
        var victim = listed[^1];
        await balancer.KillReplicaAsync(victim, CancellationToken.None);
        var replaced = await Eventually.HoldsAsync(async () =>
        {
            var now = (await balancer.Api.ListAsync()).Replicas;
            return now.Count == 3 && !now.Contains(victim) && balancer.ReplicaPids().Count == 3;
        }, TimeSpan.FromSeconds(20));
        Assert.True(replaced, $"{victim} was not replaced:\n{balancer.Log}");
    }

    private static int OpenFiles(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;
}
