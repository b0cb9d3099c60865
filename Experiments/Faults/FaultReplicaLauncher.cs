using System.Globalization;

namespace Experiments.Faults;

/// <summary>
/// A launcher script to configure as the balancer's <c>Balancer:ReplicaServerPath</c>: the first start of
/// the replica named <see cref="FaultyName"/> runs the fault replica, every other start (its replacement,
/// the other replicas) the real ReplicaServer. The process runtime starts whatever is at that path with
/// <c>SERVER_ID</c> and <c>ASPNETCORE_URLS</c> set; <c>exec</c> keeps the process id the balancer
/// watches. <c>mkdir</c> of a marker folder is the atomic "first". Disposal deletes the folder.
/// </summary>
public sealed class FaultReplicaLauncher : IDisposable
{
    private readonly DirectoryInfo folder;

    private FaultReplicaLauncher(DirectoryInfo folder, string faultyName)
    {
        this.folder = folder;
        FaultyName = faultyName;
    }

    /// <summary>The script to pass as <c>--Balancer:ReplicaServerPath=...</c>.</summary>
    public string Path => System.IO.Path.Combine(folder.FullName, "replica");

    /// <summary>The replica that fails its requests (its first start only).</summary>
    public string FaultyName { get; }

    /// <summary>The setting that makes a balancer start its replicas through this launcher.</summary>
    public string Setting => $"--Balancer:ReplicaServerPath={Path}";

    private string MarkerPath => System.IO.Path.Combine(folder.FullName, "faulty");

    private string LogPath => System.IO.Path.Combine(folder.FullName, "faulted-requests.log");

    /// <param name="replicaServerPath">The real ReplicaServer apphost, for every other start.</param>
    /// <param name="faultyName">Which replica fails; S1 owns most ids under the spec's hashes.</param>
    public static FaultReplicaLauncher Create(string replicaServerPath, FaultMode mode, string faultyName = "S1")
    {
        var folder = Directory.CreateTempSubdirectory("lb-fault-replica-");
        var launcher = new FaultReplicaLauncher(folder, faultyName);
        var fault = $"{FaultReplicaCommandLine()} fault-replica {(mode == FaultMode.Hang ? "hang" : "500")} --log {Quote(launcher.LogPath)}";
        var script = $"""
            #!/bin/sh
            # Written by Experiments' FaultReplicaLauncher: the first start of {faultyName} fails its requests.
            if [ "$SERVER_ID" = {Quote(faultyName)} ] && mkdir {Quote(launcher.MarkerPath)} 2>/dev/null; then
              exec {fault}
            fi
            exec {Quote(replicaServerPath)} "$@"

            """;
        File.WriteAllText(launcher.Path, script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(launcher.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return launcher;
    }

    /// <summary>Whether the fault replica has been started.</summary>
    public bool FaultyStarted => Directory.Exists(MarkerPath);

    /// <summary>When each request that reached the fault replica arrived (not its heartbeats), oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> FaultedRequests()
    {
        if (!File.Exists(LogPath))
        {
            return [];
        }

        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var times = new List<DateTimeOffset>();
        while (reader.ReadLine() is { } line)
        {
            var space = line.IndexOf(' ');
            // A line cut off by a write in progress is left for the next read.
            if (space > 0 && long.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs))
            {
                times.Add(DateTimeOffset.FromUnixTimeMilliseconds(unixMs));
            }
        }

        return times;
    }

    public void Dispose()
    {
        try
        {
            folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // The fault replica may still be closing its log; a temp folder left behind is harmless.
        }
    }

    /// <summary>
    /// How to start this assembly's fault-replica mode: its apphost where the build put one next to it
    /// (Experiments' own output, and the tests' that reference it), else <c>dotnet Experiments.dll</c>.
    /// </summary>
    private static string FaultReplicaCommandLine()
    {
        var assembly = typeof(FaultReplicaLauncher).Assembly.Location;
        var appHost = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(assembly)!, System.IO.Path.GetFileNameWithoutExtension(assembly));
        return File.Exists(appHost) ? Quote(appHost) : $"dotnet {Quote(assembly)}";
    }

    /// <summary>Single quotes for sh; a quote inside becomes '\''.</summary>
    private static string Quote(string text) => $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
