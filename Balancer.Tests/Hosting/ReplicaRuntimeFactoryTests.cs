using Balancer.Actors.Runtime;
using Balancer.Actors.Runtime.Docker;
using Balancer.Actors.Runtime.Process;
using Balancer.Tests.Runtime;
using Balancer.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Balancer.Tests.Hosting;

/// <summary>
/// The runtime a node gets: in cluster mode (seed nodes) replicas outlive the node (processes with the orphan
/// rule, listed from the inventory; containers cleaned up by the scheduler's listing), and no node stops them
/// on shutdown; a single node is exactly as before.
/// </summary>
public sealed class ReplicaRuntimeFactoryTests
{
    private static readonly (string, string) SeedNode = ("Balancer:Cluster:SeedNodes:0", "akka.tcp://balancer@127.0.0.1:4053");

    [Fact]
    public async Task ASingleNodesProcessesEndWithItAndItStopsThemOnShutdown()
    {
        using var provider = Provider();
        await using var runtime = (ProcessRuntime)ReplicaRuntimeFactory.Create(provider);

        Assert.False(runtime.Options.OutliveBalancer);
        Assert.False(ReplicaRuntimeFactory.ReplicasOutliveTheNode(provider));
    }

    [Fact]
    public async Task InClusterModeProcessesOutliveTheNodeWithTheConfiguredOrphanTimeAndInstance()
    {
        using var provider = Provider(SeedNode, ("Balancer:Process:OrphanAfter", "00:00:45"), ("Balancer:Process:InstanceId", "run-7"));
        await using var runtime = (ProcessRuntime)ReplicaRuntimeFactory.Create(provider);

        Assert.True(runtime.Options.OutliveBalancer);
        Assert.Equal(TimeSpan.FromSeconds(45), runtime.Options.OrphanAfter);
        Assert.Equal("run-7", runtime.Options.InstanceId);
        Assert.True(ReplicaRuntimeFactory.ReplicasOutliveTheNode(provider));
    }

    [Fact]
    public async Task InClusterModeOnlyTheSchedulersListingCleansUpContainers()
    {
        using var provider = Provider(SeedNode, ("Balancer:Runtime", "Docker"), ("Balancer:Docker:InstanceId", "lb1"));
        await using var runtime = (DockerReplicaRuntime)ReplicaRuntimeFactory.Create(provider);

        Assert.True(runtime.Options.RemoveExitedBeforeListing);
        using var single = Provider(("Balancer:Runtime", "Docker"), ("Balancer:Docker:InstanceId", "lb1"));
        await using var alone = (DockerReplicaRuntime)ReplicaRuntimeFactory.Create(single);
        Assert.False(alone.Options.RemoveExitedBeforeListing);
    }

    [Fact]
    public void OutlivingTheBalancerWithoutTheClustersInventoryIsRefusedWithAMessage()
    {
        using var provider = Provider(withInventory: false, ("Balancer:Process:OutliveBalancer", "true"));

        var error = Assert.Throws<InvalidOperationException>(() => ReplicaRuntimeFactory.Create(provider));
        Assert.Contains("Balancer:Cluster:SeedNodes", error.Message);
    }

    [Fact]
    public void AnOrphanTimeThatIsNotPositiveFailsTheStartUpCheck()
    {
        using var provider = Provider(("Balancer:Process:OrphanAfter", "00:00:00"));

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Balancer:Process:OrphanAfter", error.Message);
    }

    private static ServiceProvider Provider(params (string Key, string Value)[] settings) => Provider(withInventory: true, settings);

    private static ServiceProvider Provider(bool withInventory, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)))
            .Build();
        var services = new ServiceCollection().AddLogging().AddBalancerOptions(configuration);
        if (withInventory)
        {
            services.AddSingleton<IReplicaInventory>(new ListedInventory());
        }

        return services.BuildServiceProvider();
    }
}
