using Balancer.Tests.Support;
using Experiments.Live.Balancers;

namespace Balancer.Tests.Api;

/// <summary>One balancer with three replicas and an admin token, shared by tests that leave it as they found it.</summary>
public sealed class AdminTokenFixture : IAsyncLifetime
{
    public const string Token = "test-admin-token-9c41";

    internal EmbeddedBalancer Balancer { get; private set; } = null!;

    public async Task InitializeAsync() => Balancer = await TestBalancer.StartAsync(3, $"--Balancer:Admin:Token={Token}");

    public async Task DisposeAsync() => await Balancer.DisposeAsync();
}
