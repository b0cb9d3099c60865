namespace Balancer.Actors.Runtime.Process;

/// <summary>
/// A replica process this runtime did not start (a node that has left started it) and took over from the
/// cluster's inventory. It is no child of this process: there is no exit event and no pipe to close, so its
/// exit is polled (<see cref="AdoptedExitWatch"/>) and it is stopped by signal, always by its identity (pid
/// and start time), so a pid that another process has taken meanwhile is never signalled.
/// </summary>
internal sealed class AdoptedProcess(RunningReplica replica, ProcessIdentity identity)
{
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool stopRequested;

    public RunningReplica Replica { get; } = replica;

    public ProcessIdentity Identity { get; } = identity;

    public bool StopRequested => stopRequested;

    /// <summary>Completes once the exit was observed and reported.</summary>
    public Task Exited => exited.Task;

    /// <summary>SIGTERM: the replica's host stops at once (its SIGINT is ignored, SIGTERM never is).</summary>
    public void RequestStop()
    {
        stopRequested = true;
        if (Identity.IsAlive)
        {
            PosixSignals.Terminate(Identity.Pid);
        }
    }

    /// <summary>For a replica that does not end on SIGTERM (hung, or SIGSTOPped).</summary>
    public void Kill()
    {
        if (Identity.IsAlive)
        {
            PosixSignals.Kill(Identity.Pid);
        }
    }

    public void MarkExitReported() => exited.TrySetResult();
}
