using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Akka.Remote;
using Akka.Remote.Transport;
using Balancer.Actors.Routing;
using Balancer.Actors.Runtime;
using Balancer.Actors.Supervision;
using Balancer.Tests.Supervision;
using Balancer.Web.Cluster;
using Balancer.Web.Hosting;
using Balancer.Web.Management;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Balancer.Tests.Cluster;

/// <summary>
/// One balancer node in the test process (Akka.Hosting's multi-host pattern): the real services and cluster
/// hosting on a loopback remoting port, with the replicas of a <see cref="FakeRuntime"/> shared by every node
/// (one world of replicas, as processes or containers are) and heartbeats that ask that runtime.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    private readonly IHost host;
    private bool stopped;

    private ClusterNode(IHost host, int port, string protocol)
    {
        this.host = host;
        Port = port;
        Protocol = protocol;
    }

    /// <summary>akka.tcp, or akka.trttl.tcp with the throttling adapter that lets a test cut nodes apart.</summary>
    public string Protocol { get; }

    public int Port { get; }

    public string Address => AddressOf(Port, Protocol);

    public IServiceProvider Services => host.Services;

    public ActorSystem System => Services.GetRequiredService<ActorSystem>();

    public Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(System);

    /// <summary>The table this node routes by, as its data path reads it.</summary>
    public RoutingTable Table => Services.GetRequiredService<RoutingTablePublisher>().Current;

    /// <summary>What /add, /rm and /rep's single-node form ask: the singleton's proxy in cluster mode.</summary>
    public IActorRef Supervisor => Services.GetRequiredService<IRequiredActor<ReplicaSupervisor>>().ActorRef;

    public StatusDocument Status() => StatusEndpoints.Document(Services);

    public int UpMembers => Cluster.State.Members.Count(member => member.Status == MemberStatus.Up);

    public static string AddressOf(int port, string protocol = Tcp) => $"{protocol}://balancer@127.0.0.1:{port}";

    public const string Tcp = "akka.tcp";

    /// <summary>Remoting through Akka.Remote's throttler, whose blackhole drops everything between two nodes (a partition).</summary>
    public const string ThrottledTcp = "akka.trttl.tcp";

    public static Task<ClusterNode> StartAsync(int port, IReadOnlyList<int> seeds, IReplicaRuntime runtime, params (string Key, string Value)[] settings) =>
        StartAsync(port, seeds, runtime, Tcp, settings);

    public static async Task<ClusterNode> StartAsync(int port, IReadOnlyList<int> seeds, IReplicaRuntime runtime, string protocol,
        params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var values = new Dictionary<string, string?>
        {
            ["Balancer:Replicas"] = "3",
            ["Balancer:Heartbeat:Interval"] = "00:00:00.100",
            ["Balancer:Management:Urls"] = "",
            ["Balancer:Cluster:Hostname"] = "127.0.0.1",
            ["Balancer:Cluster:Port"] = port.ToString(global::System.Globalization.CultureInfo.InvariantCulture),
        };
        for (var index = 0; index < seeds.Count; index++)
        {
            values[$"Balancer:Cluster:SeedNodes:{index}"] = AddressOf(seeds[index], protocol);
        }

        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        if (Environment.GetEnvironmentVariable("CLUSTER_TEST_LOGS") is "1")
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Information);
        }

        builder.Services.AddBalancer(builder.Configuration);
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton<IReplicaProbe>(new FakeProbe(runtime as FakeRuntime ?? ((CountingRuntime)runtime).Inner));
        if (protocol == ThrottledTcp)
        {
            builder.Services.AddSingleton(new ClusterHoconOverride("akka.remote.dot-netty.tcp.applied-adapters = [trttl]"));
        }

        var host = builder.Build();
        await host.StartAsync();
        return new ClusterNode(host, port, protocol);
    }

    /// <summary>Drops everything between this node and <paramref name="other"/>, both ways, until the test ends.</summary>
    public Task<bool> CutFromAsync(ClusterNode other)
    {
        var remoting = (IRemoteActorRefProvider)((ExtendedActorSystem)System).Provider;
        return remoting.Transport.ManagementCommand(new SetThrottle(Akka.Actor.Address.Parse(other.Address),
            ThrottleTransportAdapter.Direction.Both, Blackhole.Instance));
    }

    /// <summary>Routes ids 0..count-1 by this node's table: the replica each goes to.</summary>
    public string?[] Routes(int count)
    {
        var table = Table;
        return Enumerable.Range(0, count).Select(id => table.RouteFor(id)?.Hostname).ToArray();
    }

    /// <summary>Leaves the cluster and stops, as a node stopped by SIGTERM does.</summary>
    public async Task StopAsync()
    {
        if (stopped)
        {
            return;
        }

        stopped = true;
        await host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        host.Dispose();
    }
}
