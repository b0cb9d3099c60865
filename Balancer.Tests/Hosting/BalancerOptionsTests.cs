using Balancer.Actors.Routing;
using Balancer.Actors.Runtime.Docker;
using Balancer.Actors.Runtime.Process;
using Balancer.Actors.Supervision;
using Balancer.Web.Forwarding;
using Balancer.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Balancer.Tests.Hosting;

/// <summary>The options the balancer binds: their defaults, their sections, and the start-up checks.</summary>
public sealed class BalancerOptionsTests
{
    [Fact]
    public void WithoutConfigurationEveryOptionHasItsDocumentedDefault()
    {
        using var provider = Provider();

        var replicaSet = Value<ReplicaSetOptions>(provider);
        Assert.Equal(3, replicaSet.Replicas);
        Assert.Equal(["S1", "S2", "S3"], replicaSet.NamesForInitialReplicas());
        Assert.Equal(TimeSpan.FromSeconds(2), replicaSet.DrainTimeout);
        Assert.Equal(new RoutingOptions(), Value<RoutingOptions>(provider));
        Assert.Equal(RoutingStrategies.Spec, Value<RoutingOptions>(provider).Strategy);
        var heartbeat = Value<HeartbeatOptions>(provider);
        Assert.Equal(
            (TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), 3, TimeSpan.FromSeconds(30)),
            (heartbeat.Interval, heartbeat.Timeout, heartbeat.MissesBeforeDead, heartbeat.StartTimeout));
        var forwarding = Value<ForwardingOptions>(provider);
        Assert.Equal((3, TimeSpan.FromSeconds(3)), (forwarding.MaxAttempts, forwarding.AttemptTimeout));
        Assert.True(Value<ReplicaRuntimeOptions>(provider).IsProcess);
        Assert.Equal(new ProcessRuntimeOptions(), Value<ProcessRuntimeOptions>(provider));
        Assert.Null(Value<ProcessRuntimeOptions>(provider).ReplicaLogDirectory);
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void EachOptionBindsFromItsSection()
    {
        using var provider = Provider(
            ("Balancer:Replicas", "4"),
            ("Balancer:ReplicaNames:0", "alpha"),
            ("Balancer:ReplicaNames:1", "beta"),
            ("Balancer:DrainTimeout", "00:00:05"),
            ("Balancer:Routing:Strategy", "ring"),
            ("Balancer:Routing:Slots", "4096"),
            ("Balancer:Routing:VirtualServersPerReplica", "100"),
            ("Balancer:Routing:Hash", "spec"),
            ("Balancer:Routing:Probing", "Quadratic"),
            ("Balancer:Routing:BalanceFactor", "1.25"),
            ("Balancer:Heartbeat:Interval", "00:00:00.200"),
            ("Balancer:Heartbeat:Timeout", "00:00:00.700"),
            ("Balancer:Heartbeat:MissesBeforeDead", "5"),
            ("Balancer:Heartbeat:StartTimeout", "00:00:10"),
            ("Balancer:Forwarding:MaxAttempts", "2"),
            ("Balancer:Forwarding:AttemptTimeout", "00:00:01"),
            ("Balancer:Runtime", "docker"),
            ("Balancer:ReplicaLogDirectory", "/tmp/replica-logs"),
            ("Balancer:ReplicaServerPath", "/opt/ReplicaServer.dll"),
            ("Balancer:Docker:InstanceId", "lb7"),
            ("Balancer:Docker:Network", "net7"),
            ("Balancer:Docker:ReservedHostnames:0", "gateway"));

        provider.GetRequiredService<IStartupValidator>().Validate();
        var replicaSet = Value<ReplicaSetOptions>(provider);
        Assert.Equal(["alpha", "beta", "S3", "S4"], replicaSet.NamesForInitialReplicas());
        Assert.Equal(TimeSpan.FromSeconds(5), replicaSet.DrainTimeout);
        Assert.Equal(new RoutingOptions
        {
            Strategy = RoutingStrategies.Ring,
            Slots = 4096,
            VirtualServersPerReplica = 100,
            Hash = "spec",
            Probing = ProbingPolicy.Quadratic,
            BalanceFactor = 1.25,
        }, Value<RoutingOptions>(provider));
        Assert.Equal(new HeartbeatOptions
        {
            Interval = TimeSpan.FromMilliseconds(200),
            Timeout = TimeSpan.FromMilliseconds(700),
            MissesBeforeDead = 5,
            StartTimeout = TimeSpan.FromSeconds(10),
        }, Value<HeartbeatOptions>(provider));
        Assert.Equal(new ForwardingOptions { MaxAttempts = 2, AttemptTimeout = TimeSpan.FromSeconds(1) }, Value<ForwardingOptions>(provider));
        Assert.True(Value<ReplicaRuntimeOptions>(provider).IsDocker);
        var process = Value<ProcessRuntimeOptions>(provider);
        Assert.Equal(("/opt/ReplicaServer.dll", "/tmp/replica-logs"), (process.ReplicaServerPath, process.ReplicaLogDirectory));
        var docker = Value<DockerRuntimeOptions>(provider);
        Assert.Equal(("lb7", "net7"), (docker.InstanceId, docker.Network));
        Assert.Contains("gateway", docker.ReservedHostnames);
    }

    [Fact]
    public void EmptySettingsTakeTheDefaults()
    {
        using var provider = Provider(
            ("Balancer:Routing:Slots", ""),
            ("Balancer:Routing:Hash", ""),
            ("Balancer:ReplicaLogDirectory", ""),
            ("Balancer:ReplicaServerPath", ""));

        Assert.Equal(new RoutingOptions(), Value<RoutingOptions>(provider));
        Assert.Equal(new ProcessRuntimeOptions(), Value<ProcessRuntimeOptions>(provider));
    }

    [Theory]
    [InlineData("Balancer:Replicas", "-1", "Balancer:Replicas must be 0 or more, got -1.")]
    [InlineData("Balancer:Replicas", "57", "N x K = 57 x 9 = 513 virtual servers do not fit in M = 512 slots")]
    [InlineData("Balancer:ReplicaNames:1", "not_a_name", "Balancer:ReplicaNames has 'not_a_name', which is not a valid hostname.")]
    [InlineData("Balancer:Routing:Slots", "16", "do not fit in M = 16 slots")]
    [InlineData("Balancer:Routing:Strategy", "random", "Unknown routing strategy 'random'; known: spec, ring, maglev.")]
    [InlineData("Balancer:Routing:Hash", "md5", "md5")]
    [InlineData("Balancer:Routing:Probing", "Sideways", "Balancer:Routing:Probing")]
    [InlineData("Balancer:Routing:BalanceFactor", "0.5", "The balance factor c must be a finite number of at least 1")]
    [InlineData("Balancer:Heartbeat:Interval", "00:00:00", "Heartbeat interval, timeout, start timeout and start-up poll interval must be positive.")]
    [InlineData("Balancer:Heartbeat:StartupPollInterval", "00:00:00", "Heartbeat interval, timeout, start timeout and start-up poll interval must be positive.")]
    [InlineData("Balancer:Heartbeat:MissesBeforeDead", "0", "Heartbeat misses before dead must be at least 1.")]
    [InlineData("Balancer:Forwarding:MaxAttempts", "0", "Balancer:Forwarding:MaxAttempts must be at least 1, got 0.")]
    [InlineData("Balancer:Forwarding:AttemptTimeout", "00:00:00", "Balancer:Forwarding:AttemptTimeout must be positive, got 00:00:00.")]
    [InlineData("Balancer:Runtime", "Kubernetes", "Balancer:Runtime 'Kubernetes' is not known; use Process or Docker.")]
    [InlineData("Balancer:Runtime", "Docker",
        "Balancer:Docker:InstanceId is required with the Docker runtime (e.g. Balancer__Docker__InstanceId=lb1).")]
    public void ASettingThatCannotWorkFailsTheStartUpCheckWithAMessageThatNamesIt(string key, string value, string message)
    {
        using var provider = Provider((key, value));

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void DockerSettingsAreCheckedOnlyWhenTheDockerRuntimeRunsTheReplicas()
    {
        using var process = Provider(("Balancer:Docker:ContainerPort", "0"));
        using var docker = Provider(("Balancer:Runtime", "Docker"), ("Balancer:Docker:InstanceId", "lb1"), ("Balancer:Docker:ContainerPort", "0"));

        process.GetRequiredService<IStartupValidator>().Validate();
        var error = Assert.ThrowsAny<Exception>(() => docker.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Docker ContainerPort must be between 1 and 65535, got 0.", error.Message);
    }

    private static ServiceProvider Provider(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)))
            .Build();
        return new ServiceCollection().AddBalancerOptions(configuration).BuildServiceProvider();
    }

    private static TOptions Value<TOptions>(IServiceProvider provider)
        where TOptions : class =>
        provider.GetRequiredService<IOptions<TOptions>>().Value;
}
