using System.Diagnostics;

namespace Balancer.Tests.Support;

internal static class Signals
{
    public static void Send(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString()]);
        kill.WaitForExit();
    }

    /// <summary>True while the process exists (also when stopped), false once it is gone.</summary>
    public static bool IsAlive(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return false;
        }

        try
        {
            // A zombie is gone for every purpose here.
            return !File.ReadAllText(status).Contains("State:\tZ");
        }
        catch (IOException)
        {
            return false;
        }
    }
}
