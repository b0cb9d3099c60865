using System.Runtime.InteropServices;

namespace Balancer.Actors.Runtime.Process;

/// <summary>
/// SIGTERM by process id: .NET can only send SIGKILL (Process.Kill), and a replica that is not this process's
/// child has no stdin pipe to close, so an orderly stop of it is a signal.
/// </summary>
internal static class PosixSignals
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    /// <summary>False when no such process exists (it ended meanwhile) or it may not be signalled.</summary>
    public static bool Terminate(int pid) => Send(pid, SigTerm);

    public static bool Kill(int pid) => Send(pid, SigKill);

    private static bool Send(int pid, int signal) => pid > 0 && kill(pid, signal) == 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
