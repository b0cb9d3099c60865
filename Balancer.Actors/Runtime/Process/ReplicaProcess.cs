using System.Diagnostics;

namespace Balancer.Actors.Runtime.Process;

/// <summary>
/// One ReplicaServer process, the pipes to it, and its log: observes its exit once, and once it has
/// exited releases everything it holds (three pipes per replica, which a long run of crashes would
/// otherwise pile up until a garbage collection happens to finalize them).
/// </summary>
/// <param name="watchesInput">The replica exits when its standard input closes (single node); false in cluster mode, where it is stopped by SIGTERM.</param>
internal sealed class ReplicaProcess(System.Diagnostics.Process process, RunningReplica replica, StreamWriter? log, bool watchesInput = true)
{
    /// <summary>How long the last lines of output may take to arrive after the exit before the pipes are closed anyway.</summary>
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock gate = new();
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int exitObserved;
    private bool disposed;
    private volatile bool stopRequested;

    public RunningReplica Replica { get; } = replica;

    public bool StopRequested => stopRequested;

    /// <summary>Completes once the exit was observed and reported (see <see cref="MarkExitReported"/>).</summary>
    public Task Exited => exited.Task;

    /// <summary>Completes once the process object, its pipes and the log are closed.</summary>
    public Task Released => released.Task;

    public bool HasExited
    {
        get
        {
            lock (gate)
            {
                return disposed || Volatile.Read(ref exitObserved) == 1 || process.HasExited;
            }
        }
    }

    /// <summary>Why it ended, for the exit report; read before <see cref="ReleaseAsync"/>.</summary>
    public string ExitReason
    {
        get
        {
            lock (gate)
            {
                return !disposed && process.HasExited
                    ? $"process {Replica.InstanceId} exited with code {process.ExitCode}"
                    : $"process {Replica.InstanceId} stopped";
            }
        }
    }

    /// <summary>
    /// Starts reading the output and watching for the exit; <paramref name="onExit"/> runs exactly once,
    /// also for an exit that came before this call.
    /// </summary>
    public void Watch(Action<ReplicaProcess> onExit)
    {
        process.OutputDataReceived += OnOutput;
        process.ErrorDataReceived += OnOutput;
        process.Exited += (_, _) => ObserveExit(onExit);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Exited is only raised for exits after the subscription; catch one that came first.
        if (process.HasExited)
        {
            ObserveExit(onExit);
        }
    }

    /// <summary>
    /// Closes the replica's standard input: it stops by itself (see ReplicaServer's ParentWatch). A replica that
    /// does not watch its input (cluster mode) gets SIGTERM instead.
    /// </summary>
    public void RequestStop()
    {
        stopRequested = true;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            if (watchesInput)
            {
                CloseInput();
            }
            else if (!process.HasExited)
            {
                PosixSignals.Terminate(process.Id);
            }
        }
    }

    /// <summary>For a replica that ignores its closed input (hung, or SIGSTOPped).</summary>
    public void Kill()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Exited meanwhile.
            }
        }
    }

    public void MarkExitReported() => exited.TrySetResult();

    /// <summary>After the exit: lets the last output reach the log, then closes the pipes, the process handle and the log.</summary>
    public async Task ReleaseAsync()
    {
        try
        {
            // Exited can be raised before the output pipes reach their end; this waits for both.
            using var drain = new CancellationTokenSource(OutputDrainTimeout);
            await process.WaitForExitAsync(drain.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or InvalidOperationException)
        {
            // Something else holds the output open (or it is closed already): close it anyway.
        }

        lock (gate)
        {
            if (!disposed)
            {
                disposed = true;
                CloseInput();
                process.Dispose();
                log?.Dispose();
            }
        }

        released.TrySetResult();
    }

    /// <summary>
    /// Lets go of a replica that goes on running (cluster mode, this node shutting down): closes this side's
    /// pipes and handle at once. The replica's later output is lost (.NET drops writes to a closed pipe).
    /// </summary>
    public void Detach()
    {
        lock (gate)
        {
            if (!disposed)
            {
                disposed = true;
                process.Dispose();
                log?.Dispose();
            }
        }

        released.TrySetResult();
    }

    private void ObserveExit(Action<ReplicaProcess> onExit)
    {
        if (Interlocked.Exchange(ref exitObserved, 1) == 0)
        {
            onExit(this);
        }
    }

    private void OnOutput(object sender, DataReceivedEventArgs line)
    {
        if (line.Data is null || log is null)
        {
            return;
        }

        lock (gate)
        {
            if (!disposed)
            {
                log.WriteLine(line.Data);
            }
        }
    }

    /// <summary>Closing the input ourselves matters: Process.Dispose leaves a stream it handed out open.</summary>
    private void CloseInput()
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Already gone.
        }
    }
}
