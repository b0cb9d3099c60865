using Akka.Actor;
using Balancer.Actors.Ring;
using Balancer.Actors.Routing;
using Balancer.Actors.Runtime;
using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision;

/// <summary>A ring actor and a supervisor wired together, the way the balancer hosts them.</summary>
internal sealed class SupervisorHarness
{
    public static readonly HeartbeatOptions FastHeartbeats = new()
    {
        Interval = TimeSpan.FromMilliseconds(50),
        Timeout = TimeSpan.FromMilliseconds(100),
        MissesBeforeDead = 3,
        StartTimeout = TimeSpan.FromSeconds(5),
    };

    public SupervisorHarness(ActorSystem system, IReplicaRuntime runtime, IReplicaProbe probe, SupervisorOptions options)
    {
        var map = new ConsistentHashMap();
        Routing = new RoutingTablePublisher(RoutingTable.Empty(map.Current));
        Ring = system.ActorOf(RingActor.Props(map, Routing));
        Supervisor = system.ActorOf(ReplicaSupervisor.Props(runtime, probe, Ring, options));
    }

    public RoutingTablePublisher Routing { get; }

    public IActorRef Ring { get; }

    public IActorRef Supervisor { get; }

    public IReadOnlyList<string> RingReplicas => Routing.Current.Snapshot.Replicas;

    /// <summary>The route object the ring publishes for a replica, which the forwarder would count requests on.</summary>
    public ReplicaRoute RouteOf(string hostname) => Routing.Current.Replicas.Single(route => route.Hostname == hostname);

    public async Task<IReadOnlyList<string>> ListAsync() =>
        (await Supervisor.Ask<ReplicaSet>(GetReplicas.Instance, TimeSpan.FromSeconds(5))).Replicas;

    public Task<object> AddAsync(int count, params string[] hostnames) =>
        Supervisor.Ask<object>(new AddReplicas(count, hostnames), TimeSpan.FromSeconds(20));

    public Task<object> RemoveAsync(int count, params string[] hostnames) =>
        Supervisor.Ask<object>(new RemoveReplicas(count, hostnames), TimeSpan.FromSeconds(20));
}
