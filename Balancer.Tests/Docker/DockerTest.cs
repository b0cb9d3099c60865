using Balancer.Tests.Support;

namespace Balancer.Tests.Docker;

/// <summary>Base of the Docker tests: a fresh <see cref="DockerScope"/> per test, cleaned up however the test ends.</summary>
[Collection(DockerCollection.Name)]
public abstract class DockerTest : IAsyncLifetime
{
    private DockerScope? scope;

    internal DockerScope Scope => scope ?? throw new InvalidOperationException("The scope exists from InitializeAsync on.");

    protected static HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(5) };

    public async Task InitializeAsync()
    {
        // Creating the scope here, not in the constructor, keeps skipped tests from touching the engine.
        scope = new DockerScope();
        await scope.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (scope is not null)
        {
            await scope.DisposeAsync();
        }
    }

    /// <summary>Waits until the replica at <paramref name="address"/> answers its heartbeat.</summary>
    protected static Task<bool> AnswersHeartbeatAsync(Uri address) =>
        Eventually.HoldsAsync(
            async () => (await Http.GetAsync(new Uri(address, "/heartbeat"))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(20));
}
