using System.Diagnostics;

namespace Balancer.Actors.Runtime.Process;

/// <summary>One ReplicaServer process and the pipe whose closing tells it to stop.</summary>
internal sealed class ReplicaProcess(System.Diagnostics.Process process, RunningReplica replica, StreamWriter? log) : IDisposable
{
    public System.Diagnostics.Process Process { get; } = process;

    public RunningReplica Replica { get; } = replica;

    public bool StopRequested { get; private set; }

    public void OnOutput(object sender, DataReceivedEventArgs line)
    {
        if (line.Data is null || log is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line.Data);
        }
    }

    /// <summary>Closes the replica's standard input: it stops by itself (see ReplicaServer's ParentWatch).</summary>
    public void RequestStop()
    {
        StopRequested = true;
        try
        {
            Process.StandardInput.Close();
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    /// <summary>Closes the log. The Process object stays usable: a concurrent stop may still be waiting on it.</summary>
    public void Dispose()
    {
        if (log is not null)
        {
            lock (log)
            {
                log.Dispose();
            }
        }
    }
}
