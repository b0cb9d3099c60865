namespace Balancer.Tests.Supervision.Chaos;

/// <summary>How one start of a replica goes wrong in a fault schedule (or does not).</summary>
internal enum StartFault
{
    None,

    /// <summary>StartAsync throws before it returns a task (a missing binary did this).</summary>
    ThrowsSynchronously,

    /// <summary>StartAsync returns a faulted task (the engine refused).</summary>
    FailsAsynchronously,

    /// <summary>StartAsync never completes until the schedule releases it.</summary>
    Hangs,

    /// <summary>The replica launches but never answers a heartbeat.</summary>
    NeverServes,

    /// <summary>The replica launches and exits at once, before its first heartbeat.</summary>
    ExitsAtOnce,

    /// <summary>The runtime reports the name as taken by something the balancer does not own.</summary>
    NameConflict,
}
