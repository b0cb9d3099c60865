using Akka.Actor;
using Balancer.Actors.Runtime;
using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision;

/// <summary>
/// Heartbeats on the actor system's (virtual) clock: each is answered after the time <see cref="Takes"/>
/// says, or fails when its timeout passes, as the HTTP probe's would, so the actor's timing is tested
/// exactly. The answers come as scheduled messages to a small actor that completes them: the test
/// scheduler runs scheduled actions off the calling thread, but delivers messages on it.
/// </summary>
internal sealed class ScriptedProbe(ActorSystem system) : IReplicaProbe
{
    private readonly IScheduler scheduler = system.Scheduler;
    private readonly IActorRef completer = system.ActorOf(Props.Create(() => new Completer()));
    private readonly List<(DateTimeOffset At, TimeSpan Timeout)> sent = [];

    /// <summary>How long the next heartbeat takes to be answered; null: it is never answered.</summary>
    public Func<TimeSpan?> Takes { get; set; } = () => TimeSpan.Zero;

    /// <summary>When each heartbeat was sent and the timeout it was given.</summary>
    public IReadOnlyList<(DateTimeOffset At, TimeSpan Timeout)> Sent => sent;

    public Task<bool> IsServingAsync(RunningReplica replica, TimeSpan timeout)
    {
        sent.Add((scheduler.Now, timeout));
        var takes = Takes();
        if (takes == TimeSpan.Zero)
        {
            return Task.FromResult(true);
        }

        var answer = new TaskCompletionSource<bool>();
        if (takes is { } delay && delay <= timeout)
        {
            Later(delay, () => answer.TrySetResult(true));
        }
        else
        {
            Later(timeout, () => answer.TrySetException(new TaskCanceledException("no answer in time")));
        }

        return answer.Task;
    }

    private void Later(TimeSpan delay, Action complete) =>
        scheduler.ScheduleTellOnce(delay, completer, new Complete(complete), ActorRefs.NoSender);

    private sealed record Complete(Action Run);

    private sealed class Completer : ReceiveActor
    {
        public Completer() => Receive<Complete>(complete => complete.Run());
    }
}
