using Akka.Actor;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

/// <summary>An /add in progress: it completes when every new replica serves, or fails as a whole.</summary>
internal sealed class AddOperation(IActorRef replyTo, IEnumerable<string> hostnames)
{
    public IActorRef ReplyTo { get; } = replyTo;

    public HashSet<string> Starting { get; } = new(hostnames, StringComparer.OrdinalIgnoreCase);

    public List<RunningReplica> Ready { get; } = [];

    public HashSet<string> Stopping { get; } = new(StringComparer.OrdinalIgnoreCase);

    public AdminRejected? Failure { get; set; }

    public bool Settled => Starting.Count == 0 && Stopping.Count == 0;
}

/// <summary>An /rm in progress: it completes when every chosen replica is out of the ring and stopped.</summary>
internal sealed class RemoveOperation(IActorRef replyTo, IEnumerable<string> hostnames)
{
    public IActorRef ReplyTo { get; } = replyTo;

    public HashSet<string> Stopping { get; } = new(hostnames, StringComparer.OrdinalIgnoreCase);
}
