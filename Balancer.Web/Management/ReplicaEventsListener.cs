using Akka.Actor;
using Balancer.Actors.Supervision;

namespace Balancer.Web.Management;

/// <summary>
/// Copies the supervisor's event-stream records (joins, deaths) into the <see cref="ReplicaEventLog"/>.
/// The warm spares' <c>SparePromoted</c> record (issue 13) belongs here too once it exists: a promotion
/// shows as the spare's join in place of the dead replica until then.
/// </summary>
internal sealed class ReplicaEventsListener : ReceiveActor
{
    public ReplicaEventsListener(ReplicaEventLog log)
    {
        Receive<ReplicaJoined>(joined => log.Joined(joined.Replica.Hostname, joined.At));
        Receive<ReplicaDeathDetected>(death => log.Died(death.Hostname, death.Reason, death.At));
    }

    public static Props Props(ReplicaEventLog log) => Akka.Actor.Props.Create(() => new ReplicaEventsListener(log));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(ReplicaJoined));
        Context.System.EventStream.Subscribe(Self, typeof(ReplicaDeathDetected));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
