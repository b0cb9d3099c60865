namespace Balancer.Web.Management;

/// <summary>
/// The recent replica events the status page lists (joined, died, replaced, promoted, ejected, readmitted, added,
/// removed), newest last, the last <see cref="Capacity"/> of them. Written from the event-stream listener,
/// the sampler and the admin endpoints; read by /status.json.
/// </summary>
internal sealed class ReplicaEventLog(TimeProvider clock)
{
    public const int Capacity = 200;

    private readonly Queue<ReplicaEvent> events = new();

    /// <summary>Replicas that died and whose place no replica has taken yet: the next join replaces the oldest.</summary>
    private readonly Queue<string> awaitingReplacement = new();

    public void Died(string replica, string reason, DateTimeOffset at)
    {
        lock (events)
        {
            awaitingReplacement.Enqueue(replica);
            Append(new ReplicaEvent(at, "died", replica, reason));
        }
    }

    /// <summary>
    /// A replica joined the ring: after a death it is that replica's replacement (replacements join about a
    /// second after a death; an /add that starts in between may take the label, which only names it).
    /// </summary>
    public void Joined(string replica, DateTimeOffset at)
    {
        lock (events)
        {
            Append(awaitingReplacement.TryDequeue(out var dead)
                ? new ReplicaEvent(at, "replaced", replica, $"joined in place of {dead}")
                : new ReplicaEvent(at, "joined", replica, "joined the ring"));
        }
    }

    /// <summary>A warm spare joined: in a dead replica's place (<paramref name="replacing"/>) or for an /add.</summary>
    public void Promoted(string replica, string? replacing, DateTimeOffset at)
    {
        lock (events)
        {
            Append(new ReplicaEvent(at, "promoted", replica,
                replacing is null ? "a warm spare, taken by an /add" : $"a warm spare, in place of {replacing}"));
        }
    }

    public void Add(string kind, string replica, string message)
    {
        lock (events)
        {
            Append(new ReplicaEvent(clock.GetUtcNow(), kind, replica, message));
        }
    }

    public IReadOnlyList<ReplicaEvent> Recent()
    {
        lock (events)
        {
            return events.ToArray();
        }
    }

    private void Append(ReplicaEvent replicaEvent)
    {
        events.Enqueue(replicaEvent);
        while (events.Count > Capacity)
        {
            events.Dequeue();
        }
    }
}

/// <param name="Kind">joined, replaced, promoted, died, ejected, readmitted, added, removed.</param>
/// <param name="Replica">The replica it is about; empty for an admin change of several.</param>
internal sealed record ReplicaEvent(DateTimeOffset At, string Kind, string Replica, string Message);
