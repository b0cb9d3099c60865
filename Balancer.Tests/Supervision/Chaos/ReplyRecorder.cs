using System.Runtime.CompilerServices;
using Akka.Actor;

namespace Balancer.Tests.Supervision.Chaos;

/// <summary>
/// Stands in for an HTTP caller: keeps the first reply it gets. (An Ask completes its task on the thread
/// pool, which would make a run depend on timing; this actor runs on the calling thread like the rest.)
/// </summary>
internal sealed class ReplyRecorder : UntypedActor
{
    private readonly StrongBox<object?> reply;

    public ReplyRecorder(StrongBox<object?> reply) => this.reply = reply;

    protected override void OnReceive(object message)
    {
        reply.Value ??= message;
    }
}
