using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Balancer.Tests.Support;

namespace Balancer.Tests.Replica;

/// <summary>The real ReplicaServer binary, started as a process on a free loopback port.</summary>
public sealed class ReplicaServerTests : IAsyncLifetime
{
    private readonly int port = LoopbackPorts.Free();
    private readonly HttpClient client = new() { Timeout = TimeSpan.FromSeconds(5) };
    private Process? replica;

    private Uri BaseAddress => new($"http://127.0.0.1:{port}");

    public async Task InitializeAsync()
    {
        replica = Process.Start(ReplicaServerBinary.StartInfo("S7", port))!;
        var up = await Eventually.HoldsAsync(
            async () => (await client.GetAsync(new Uri(BaseAddress, "/heartbeat"))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(20));
        Assert.True(up, "ReplicaServer did not answer /heartbeat within 20 s");
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        if (replica is { HasExited: false })
        {
            replica.Kill();
            await replica.WaitForExitAsync();
        }

        replica?.Dispose();
    }

    [Fact]
    public async Task HomeAnswersWithItsServerId()
    {
        using var response = await client.GetAsync(new Uri(BaseAddress, "/home"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Hello from Server: S7", body.RootElement.GetProperty("message").GetString());
        Assert.Equal("successful", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task HeartbeatAnswersOkWithAnEmptyBody()
    {
        using var response = await client.GetAsync(new Uri(BaseAddress, "/heartbeat"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/other")]
    [InlineData("/home/extra")]
    [InlineData("/")]
    public async Task UnknownPathsAnswerNotFound(string path)
    {
        using var response = await client.GetAsync(new Uri(BaseAddress, path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SigtermStopsItCleanly()
    {
        Process.Start("kill", ["-TERM", replica!.Id.ToString()])!.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await replica.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, replica.ExitCode);
    }

    [Fact]
    public async Task ExitsWhenItsStandardInputCloses()
    {
        var watchedPort = LoopbackPorts.Free();
        var startInfo = ReplicaServerBinary.StartInfo("watched", watchedPort);
        startInfo.Environment["EXIT_WHEN_STDIN_CLOSES"] = "true";
        startInfo.RedirectStandardInput = true;
        using var watched = Process.Start(startInfo)!;
        try
        {
            var up = await Eventually.HoldsAsync(
                async () => (await client.GetAsync($"http://127.0.0.1:{watchedPort}/heartbeat")).IsSuccessStatusCode,
                TimeSpan.FromSeconds(20));
            Assert.True(up);

            watched.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await watched.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!watched.HasExited)
            {
                watched.Kill();
            }
        }
    }
}
