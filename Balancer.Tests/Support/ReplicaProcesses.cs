namespace Balancer.Tests.Support;

/// <summary>The ReplicaServer processes a balancer process started, read from /proc.</summary>
internal static class ReplicaProcesses
{
    /// <summary>Live ReplicaServer children of <paramref name="parentPid"/>, by their SERVER_ID.</summary>
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
                // Fields after the command name: state, then the parent pid.
                var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (afterName[0] == "Z" || int.Parse(afterName[1]) != parentPid)
                {
                    continue;
                }

                var environment = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0');
                var serverId = environment.FirstOrDefault(variable => variable.StartsWith("SERVER_ID=", StringComparison.Ordinal));
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

    /// <summary>Every live process whose environment names this SERVER_ID, whoever its parent is now.</summary>
    public static IReadOnlyList<int> WithServerId(string serverId)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || !Signals.IsAlive(pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "environ")).Split('\0').Contains($"SERVER_ID={serverId}"))
                {
                    found.Add(pid);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Ended meanwhile.
            }
        }

        return found;
    }
}
