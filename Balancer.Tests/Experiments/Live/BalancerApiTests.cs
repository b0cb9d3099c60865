using System.Diagnostics;
using Balancer.Tests.Support;
using Experiments.Live;

namespace Balancer.Tests.Experiments.Live;

/// <summary>
/// The API client against a bare ReplicaServer, which sets no X-Replica header: what the client reads
/// from the body alone.
/// </summary>
public sealed class BalancerApiTests : IAsyncLifetime
{
    private readonly int port = LoopbackPorts.Free();
    private BalancerApi api = null!;
    private Process? replica;

    public async Task InitializeAsync()
    {
        api = new BalancerApi(new Uri($"http://127.0.0.1:{port}"));
        replica = Process.Start(ReplicaServerBinary.StartInfo("S7", port))!;
        var up = await Eventually.HoldsAsync(async () => (await api.SendAsync(HttpMethod.Get, "/heartbeat")).Status == 200, TimeSpan.FromSeconds(20));
        Assert.True(up, "ReplicaServer did not answer /heartbeat within 20 s");
    }

    public async Task DisposeAsync()
    {
        api.Dispose();
        if (replica is { HasExited: false })
        {
            replica.Kill();
            await replica.WaitForExitAsync();
        }

        replica?.Dispose();
    }

    [Fact]
    public async Task HomeNamesTheReplicaFromItsGreeting()
    {
        var home = await api.HomeAsync(132574);

        Assert.Equal(200, home.Status);
        Assert.Equal("S7", home.Replica);
        Assert.Equal("Hello from Server: S7", home.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AnAnswerWithoutAGreetingNamesNoReplica()
    {
        var heartbeat = await api.SendAsync(HttpMethod.Get, "/heartbeat");

        Assert.Equal(200, heartbeat.Status);
        Assert.Equal("", heartbeat.Body);
        Assert.Null(heartbeat.Replica);
    }
}
