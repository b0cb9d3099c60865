using System.Diagnostics;

namespace Balancer.Tests.Support;

internal static class Signals
{
    public static void Send(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString()]);
        kill.WaitForExit();
    }
}
