using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;

namespace Balancer.Actors.Ring;

/// <summary>
/// The only code that changes the consistent hash map. After every change it publishes an immutable
/// <see cref="RoutingTable"/> through the <see cref="RoutingTablePublisher"/>, so routing a request
/// reads a snapshot instead of queueing in this mailbox. It owns each replica's <see cref="ReplicaRoute"/>:
/// created on join (judged by the ring's <see cref="ReplicaHealthPolicy"/>), the same instance in every table
/// while the replica stays, retired and handed back on leave.
/// </summary>
public sealed class RingActor : ReceiveActor
{
    private readonly IReplicaMap map;
    private readonly RoutingTablePublisher publisher;
    private readonly ReplicaHealthPolicy health;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly Dictionary<string, ReplicaRoute> routes = new(StringComparer.OrdinalIgnoreCase);
    private long version;

    public RingActor(IReplicaMap map, RoutingTablePublisher publisher, ReplicaHealthPolicy health)
    {
        this.map = map;
        this.publisher = publisher;
        this.health = health;

        Receive<JoinRing>(Join);
        Receive<LeaveRing>(Leave);
    }

    /// <summary>A ring whose routes only count outcomes (no ejection, no adaptive timeout).</summary>
    public static Props Props(IReplicaMap map, RoutingTablePublisher publisher) => Props(map, publisher, ReplicaHealthPolicy.Off);

    public static Props Props(IReplicaMap map, RoutingTablePublisher publisher, ReplicaHealthPolicy health) =>
        Akka.Actor.Props.Create(() => new RingActor(map, publisher, health));

    private void Join(JoinRing join)
    {
        var added = new List<string>();
        try
        {
            foreach (var replica in join.Replicas)
            {
                var serverId = map.Add(replica.Hostname);
                added.Add(replica.Hostname);
                routes.Add(replica.Hostname, new ReplicaRoute(replica.Hostname, replica.Address, health));
                log.Info("Replica {0} joined the ring as server id {1} at {2}", replica.Hostname, serverId, replica.Address);
            }
        }
        catch (Exception exception) when (exception is ArgumentException or RingFullException)
        {
            // All or none: placement is deterministic, so removing what this join added restores the map.
            foreach (var hostname in added)
            {
                map.Remove(hostname);
                routes.Remove(hostname);
            }

            log.Warning("Join of {0} refused: {1}", string.Join(", ", join.Replicas.Select(r => r.Hostname)), exception.Message);
            Sender.Tell(new Status.Failure(exception));
            return;
        }

        Sender.Tell(new RingChanged(Publish()));
    }

    private void Leave(LeaveRing leave)
    {
        var departed = new List<ReplicaRoute>();
        foreach (var hostname in leave.Hostnames)
        {
            if (map.Remove(hostname))
            {
                log.Info("Replica {0} left the ring", hostname);
            }

            if (routes.Remove(hostname, out var route))
            {
                route.Health.Retire();
                departed.Add(route);
            }
        }

        Sender.Tell(new RingLeft(Publish(), departed));
    }

    private RoutingTable Publish()
    {
        var snapshot = map.Current;
        var table = new RoutingTable(snapshot, snapshot.Replicas.Select(hostname => routes[hostname]).ToArray()) { Version = ++version };
        health.Budget.Replicas = table.Replicas.Count;
        publisher.Publish(table);
        return table;
    }
}
