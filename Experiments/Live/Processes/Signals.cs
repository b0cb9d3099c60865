using System.Diagnostics;
using System.Globalization;

namespace Experiments.Live.Processes;

/// <summary>
/// Sends a POSIX signal by name (TERM, KILL, STOP, CONT, INT) through kill(1): the one way the embedded
/// balancer and the tests signal the balancer and its replicas. .NET itself can only send SIGKILL.
/// </summary>
public static class Signals
{
    public static void Send(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
