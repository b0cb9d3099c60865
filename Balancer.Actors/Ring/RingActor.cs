using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Balancer.Actors.Routing;

namespace Balancer.Actors.Ring;

/// <summary>
/// The only code that changes the consistent hash map. After every change it publishes an immutable
/// <see cref="RoutingTable"/> through the <see cref="RoutingTablePublisher"/>, so routing a request
/// reads a snapshot instead of queueing in this mailbox.
/// </summary>
public sealed class RingActor : ReceiveActor
{
    private readonly IReplicaMap map;
    private readonly RoutingTablePublisher publisher;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private ImmutableDictionary<string, Uri> addresses =
        ImmutableDictionary<string, Uri>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase);

    public RingActor(IReplicaMap map, RoutingTablePublisher publisher)
    {
        this.map = map;
        this.publisher = publisher;

        Receive<JoinRing>(Join);
        Receive<LeaveRing>(Leave);
    }

    public static Props Props(IReplicaMap map, RoutingTablePublisher publisher) =>
        Akka.Actor.Props.Create(() => new RingActor(map, publisher));

    private void Join(JoinRing join)
    {
        var added = new List<string>();
        try
        {
            foreach (var replica in join.Replicas)
            {
                var serverId = map.Add(replica.Hostname);
                added.Add(replica.Hostname);
                addresses = addresses.SetItem(replica.Hostname, replica.Address);
                log.Info("Replica {0} joined the ring as server id {1} at {2}", replica.Hostname, serverId, replica.Address);
            }
        }
        catch (Exception exception) when (exception is ArgumentException or RingFullException)
        {
            // All or none: placement is deterministic, so removing what this join added restores the map.
            foreach (var hostname in added)
            {
                map.Remove(hostname);
                addresses = addresses.Remove(hostname);
            }

            log.Warning("Join of {0} refused: {1}", string.Join(", ", join.Replicas.Select(r => r.Hostname)), exception.Message);
            Sender.Tell(new Status.Failure(exception));
            return;
        }

        Sender.Tell(new RingChanged(Publish()));
    }

    private void Leave(LeaveRing leave)
    {
        foreach (var hostname in leave.Hostnames)
        {
            if (map.Remove(hostname))
            {
                log.Info("Replica {0} left the ring", hostname);
            }

            addresses = addresses.Remove(hostname);
        }

        Sender.Tell(new RingChanged(Publish()));
    }

    private RoutingTable Publish()
    {
        var table = new RoutingTable(map.Current, addresses);
        publisher.Publish(table);
        return table;
    }
}
