using System.Globalization;

namespace Experiments.Faults;

/// <summary>
/// One line per faulted request (Unix time in ms, then the path), flushed at once: the file outlives the
/// fault replica, so whoever started it counts what reached it even after the balancer replaced it.
/// </summary>
internal sealed class FaultLog : IDisposable
{
    private readonly Lock gate = new();
    private readonly StreamWriter writer;

    public FaultLog(string path)
    {
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        writer = new StreamWriter(stream) { AutoFlush = true };
    }

    public void Record(string path)
    {
        var line = $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)} {path}";
        lock (gate)
        {
            writer.WriteLine(line);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            writer.Dispose();
        }
    }
}
