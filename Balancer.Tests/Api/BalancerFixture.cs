using Balancer.Tests.Support;
using Experiments.Live.Balancers;

namespace Balancer.Tests.Api;

/// <summary>One balancer with three replicas, shared by the tests of a class that leave it as they found it.</summary>
public sealed class BalancerFixture : IAsyncLifetime
{
    internal EmbeddedBalancer Balancer { get; private set; } = null!;

    public async Task InitializeAsync() => Balancer = await TestBalancer.StartAsync();

    public async Task DisposeAsync() => await Balancer.DisposeAsync();
}
