using Akka.Actor;

namespace Balancer.Actors.Supervision;

/// <summary>An /add or /rm as it arrived: what, who asked, and when (its deadline counts from then).</summary>
internal sealed record QueuedChange(object Command, IActorRef ReplyTo, DateTimeOffset ArrivedAt, long Id = 0);

/// <summary>
/// The /add and /rm requests waiting behind the one in progress, in arrival order and bounded: one that
/// does not fit is refused at once, and one whose deadline passes while it waits is answered and dropped,
/// so a change its caller was told failed is never applied later.
/// </summary>
internal sealed class ChangeQueue(int capacity)
{
    private readonly List<QueuedChange> waiting = [];
    private long nextId;

    /// <summary>Null when the queue is full.</summary>
    public QueuedChange? TryEnqueue(object command, IActorRef replyTo, DateTimeOffset now)
    {
        if (waiting.Count >= capacity)
        {
            return null;
        }

        var change = new QueuedChange(command, replyTo, now, ++nextId);
        waiting.Add(change);
        return change;
    }

    public bool TryDequeue(out QueuedChange change)
    {
        if (waiting.Count == 0)
        {
            change = null!;
            return false;
        }

        change = waiting[0];
        waiting.RemoveAt(0);
        return true;
    }

    /// <summary>The change with that id if it still waits (its deadline passed), taken out of the queue.</summary>
    public QueuedChange? Remove(long id)
    {
        var index = waiting.FindIndex(change => change.Id == id);
        if (index < 0)
        {
            return null;
        }

        var change = waiting[index];
        waiting.RemoveAt(index);
        return change;
    }

    public IReadOnlyList<QueuedChange> DrainAll()
    {
        var all = waiting.ToArray();
        waiting.Clear();
        return all;
    }
}
