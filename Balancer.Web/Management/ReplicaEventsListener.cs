using Akka.Actor;
using Balancer.Actors.Supervision;

namespace Balancer.Web.Management;

/// <summary>
/// Copies the supervisor's event-stream records (joins, deaths, spare promotions) into the <see cref="ReplicaEventLog"/>.
/// </summary>
internal sealed class ReplicaEventsListener : ReceiveActor
{
    public ReplicaEventsListener(ReplicaEventLog log)
    {
        Receive<ReplicaJoined>(joined => log.Joined(joined.Replica.Hostname, joined.At));
        Receive<ReplicaDeathDetected>(death => log.Died(death.Hostname, death.Reason, death.At));
        Receive<SparePromoted>(promoted => log.Promoted(promoted.Hostname, promoted.Replacing, promoted.At));
    }

    public static Props Props(ReplicaEventLog log) => Akka.Actor.Props.Create(() => new ReplicaEventsListener(log));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(ReplicaJoined));
        Context.System.EventStream.Subscribe(Self, typeof(ReplicaDeathDetected));
        Context.System.EventStream.Subscribe(Self, typeof(SparePromoted));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
