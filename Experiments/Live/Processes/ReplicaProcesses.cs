namespace Experiments.Live.Processes;

/// <summary>
/// The ReplicaServer processes a balancer process started, read from /proc. Shared by the embedded
/// balancer here and the tests that start balancers as processes.
/// </summary>
public static class ReplicaProcesses
{
    /// <summary>Live children of <paramref name="parentPid"/> that carry SERVER_ID, by that id.</summary>
    public static IReadOnlyDictionary<string, int> Of(int parentPid)
    {
        var found = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // After the command name come the state and then the parent pid.
                var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (afterName[0] == "Z" || int.Parse(afterName[1]) != parentPid)
                {
                    continue;
                }

                var serverId = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0')
                    .FirstOrDefault(variable => variable.StartsWith("SERVER_ID=", StringComparison.Ordinal));
                if (serverId is not null)
                {
                    found[serverId["SERVER_ID=".Length..]] = pid;
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process ended while being read.
            }
        }

        return found;
    }

    /// <summary>
    /// When the process started (clock ticks since boot, /proc/PID/stat's field 22), or null once it is
    /// gone: with the pid, an identity that a pid reused by another process does not share.
    /// </summary>
    public static long? StartTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name start with the state (field 3); the start time is field 22.
            var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(afterName[19], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>True while the process exists (also when stopped), false once it is gone.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            // A zombie is gone for every purpose here.
            return File.Exists($"/proc/{pid}/status") && !File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ");
        }
        catch (IOException)
        {
            return false;
        }
    }
}
