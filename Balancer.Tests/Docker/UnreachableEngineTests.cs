using System.Diagnostics;
using Balancer.Actors.Runtime;
using Balancer.Actors.Runtime.Docker;
using Xunit.Abstractions;

namespace Balancer.Tests.Docker;

/// <summary>An engine that does not answer: needs no engine, so these always run.</summary>
public sealed class UnreachableEngineTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly DockerReplicaRuntime runtime = new(new DockerRuntimeOptions
    {
        Endpoint = new Uri($"unix:///tmp/no-docker-{Guid.NewGuid():N}.sock"),
        InstanceId = "unreachable-test",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await runtime.DisposeAsync();

    [Fact]
    public async Task StartIsUnavailableWithTheCause()
    {
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RuntimeUnavailableException>(() => runtime.StartAsync("S1", CancellationToken.None));
        output.WriteLine($"measured: unreachable engine -> RuntimeUnavailableException in {clock.Elapsed.TotalMilliseconds:0} ms: {error.Message}");

        Assert.Contains("no-docker-", error.Message);
        Assert.Contains("unreachable", error.Message);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task ListAndStopAreUnavailableToo()
    {
        await Assert.ThrowsAsync<RuntimeUnavailableException>(() => runtime.ListAsync(CancellationToken.None));
        await Assert.ThrowsAsync<RuntimeUnavailableException>(() =>
            runtime.StopAsync(new RunningReplica("S1", new Uri("http://127.0.0.1:5000"), new string('a', 64)), CancellationToken.None));
    }

    [Fact]
    public async Task SubscribingDoesNotThrowWhileTheEngineIsAway()
    {
        // The watcher retries in the background with back-off; the subscriber just hears nothing yet.
        using var subscription = runtime.SubscribeToExits(_ => { });
        await Task.Yield();
    }
}
