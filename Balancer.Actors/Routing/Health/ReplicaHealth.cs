namespace Balancer.Actors.Routing.Health;

/// <summary>
/// One replica's health as the data path sees it, kept on its <see cref="ReplicaRoute"/>: written by request
/// threads (each attempt's outcome), read by the pickers (is it ejected?), the replica's actor (has it
/// answered anything lately?) and the metrics. Every member is safe to read from any thread.
/// </summary>
// The contract the health work builds on; the data path fills in the recording (issue 13, in progress).
#pragma warning disable CS0649
public sealed class ReplicaHealth
{
    private long answers;
    private long ejections;
    private long readmissions;
    private long failedAttempts;
    private long retriedElsewhere;
    private long abandonedAttempts;

    /// <summary>Attempts this replica answered (any status that is not a failure): evidence that it is alive.</summary>
    public long Answers => Interlocked.Read(ref answers);

    /// <summary>Whether routing skips the replica now (its ids go to the next replica clockwise).</summary>
    public bool IsEjected { get; }

    /// <summary>Why it is ejected; null while it routes.</summary>
    public EjectionCause? EjectedFor { get; }

    /// <summary>Times the replica was ejected.</summary>
    public long Ejections => Interlocked.Read(ref ejections);

    /// <summary>Times it was readmitted after an ejection.</summary>
    public long Readmissions => Interlocked.Read(ref readmissions);

    /// <summary>Attempts that failed: refused, reset, timed out, or a 5xx when those count.</summary>
    public long FailedAttempts => Interlocked.Read(ref failedAttempts);

    /// <summary>Requests that failed here and were tried on another replica.</summary>
    public long RetriedElsewhere => Interlocked.Read(ref retriedElsewhere);

    /// <summary>Attempts abandoned because they took far longer than this replica's recent latency.</summary>
    public long AbandonedAttempts => Interlocked.Read(ref abandonedAttempts);
}
