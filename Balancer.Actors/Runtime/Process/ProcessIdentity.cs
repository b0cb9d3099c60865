using System.Globalization;

namespace Balancer.Actors.Runtime.Process;

/// <summary>
/// A process as /proc shows it: its pid with its start time (clock ticks since boot, field 22 of
/// /proc/PID/stat), an identity that a pid reused by another process does not share.
/// </summary>
internal readonly record struct ProcessIdentity(int Pid, long StartTicks)
{
    /// <summary>The process with this pid now, or null once it is gone or a zombie (it has ended, unreaped).</summary>
    public static ProcessIdentity? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // After the command name (in parentheses, may hold spaces) come the state (field 3) ... start time (22).
            var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (afterName[0] is "Z" or "X")
            {
                return null;
            }

            return new ProcessIdentity(pid, long.Parse(afterName[19], CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Still this very process (not ended, pid not reused)?</summary>
    public bool IsAlive => Read(Pid) is { } now && now.StartTicks == StartTicks;

    /// <summary>The environment the process started with (/proc/PID/environ), or empty when it cannot be read.</summary>
    public IReadOnlyDictionary<string, string> StartEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in File.ReadAllText($"/proc/{Pid}/environ").Split('\0'))
            {
                var equals = entry.IndexOf('=');
                if (equals > 0)
                {
                    variables.TryAdd(entry[..equals], entry[(equals + 1)..]);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Gone, or not ours to read: no variables, so it is no replica of this runtime.
        }

        return variables;
    }
}
