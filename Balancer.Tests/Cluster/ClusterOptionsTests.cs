using Balancer.Web.Cluster;
using Balancer.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Balancer.Tests.Cluster;

/// <summary>Balancer:Cluster: off without seed nodes, the knobs' defaults, the environment form, and the start-up checks.</summary>
public sealed class ClusterOptionsTests
{
    [Fact]
    public void Without_seed_nodes_the_balancer_is_a_single_node_with_the_documented_knobs()
    {
        using var provider = Provider(new ConfigurationBuilder().Build());
        var options = provider.GetRequiredService<IOptions<ClusterOptions>>().Value;

        Assert.False(options.Enabled);
        Assert.Equal(("127.0.0.1", "127.0.0.1", 4053), (options.Hostname, options.AdvertisedHostname, options.Port));
        Assert.Equal(
            (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(3)),
            (options.HeartbeatInterval, options.AcceptableHeartbeatPause, options.StableAfter));
        Assert.Equal(("Majority", TimeSpan.FromSeconds(2)), (options.WriteConsistency, options.WriteTimeout));
        Assert.Equal((TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50)), (options.GossipInterval, options.NotifySubscribersInterval));
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void The_environment_form_turns_cluster_mode_on()
    {
        const string prefix = "LB_CLUSTER_OPTIONS_TEST_";
        Environment.SetEnvironmentVariable(prefix + "Balancer__Cluster__SeedNodes__0", "akka.tcp://balancer@10.0.0.1:4053");
        Environment.SetEnvironmentVariable(prefix + "Balancer__Cluster__SeedNodes__1", "akka.tcp://balancer@10.0.0.2:4053");
        Environment.SetEnvironmentVariable(prefix + "Balancer__Cluster__PublicHostname", "node-1");
        Environment.SetEnvironmentVariable(prefix + "Balancer__Cluster__StableAfter", "00:00:05");
        try
        {
            using var provider = Provider(new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build());
            var options = provider.GetRequiredService<IOptions<ClusterOptions>>().Value;

            Assert.True(options.Enabled);
            Assert.Equal(["akka.tcp://balancer@10.0.0.1:4053", "akka.tcp://balancer@10.0.0.2:4053"], options.SeedNodes);
            Assert.Equal(("127.0.0.1", "node-1"), (options.Hostname, options.AdvertisedHostname));
            Assert.Equal(TimeSpan.FromSeconds(5), options.StableAfter);
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        finally
        {
            foreach (var key in new[] { "SeedNodes__0", "SeedNodes__1", "PublicHostname", "StableAfter" })
            {
                Environment.SetEnvironmentVariable(prefix + "Balancer__Cluster__" + key, null);
            }
        }
    }

    [Theory]
    [InlineData("Balancer:Cluster:SeedNodes:0", "http://127.0.0.1:4053", "is not a node address")]
    [InlineData("Balancer:Cluster:SeedNodes:0", "akka.tcp://other@127.0.0.1:4053", "is not a node address")]
    [InlineData("Balancer:Cluster:Port", "70000", "Balancer:Cluster:Port (70000) must be a TCP port")]
    [InlineData("Balancer:Cluster:AcceptableHeartbeatPause", "00:00:01", "must be longer than HeartbeatInterval")]
    [InlineData("Balancer:Cluster:StableAfter", "00:00:00", "Balancer:Cluster:StableAfter (00:00:00) must be positive.")]
    [InlineData("Balancer:Cluster:WriteConsistency", "Quorum", "must be one of Majority, All, Local")]
    public void A_cluster_setting_that_cannot_work_fails_the_start_up_check_with_a_message_that_names_it(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?> { ["Balancer:Cluster:SeedNodes:0"] = "akka.tcp://balancer@127.0.0.1:4053", [key] = value };
        using var provider = Provider(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(message, error.Message);
    }

    private static ServiceProvider Provider(IConfiguration configuration) =>
        new ServiceCollection().AddBalancerOptions(configuration).BuildServiceProvider();
}
