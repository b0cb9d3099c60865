namespace Experiments.Faults;

/// <summary>How the fault replica treats every request but /heartbeat.</summary>
public enum FaultMode
{
    /// <summary>Answers 500 at once: a replica whose application is broken while its process is fine.</summary>
    ServerError,

    /// <summary>Never answers (until the caller gives up): a replica stuck on a lock or a dead dependency.</summary>
    Hang,
}
