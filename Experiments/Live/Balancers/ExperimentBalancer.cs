namespace Experiments.Live.Balancers;

/// <summary>
/// The embedded balancer as the experiments start it: the Release build of Balancer.Web (built by
/// <c>make experiments</c>) found from the repository root, logging warnings only.
/// </summary>
internal static class ExperimentBalancer
{
    private const string BinaryOverride = "BALANCER_WEB_BINARY";

    // The balancer logs every request at Information; nobody reads that here, and the log is kept in memory.
    private const string WarningsOnly = "--Logging:LogLevel:Default=Warning";

    /// <param name="replicaProcesses">See <see cref="EmbeddedBalancer.StartAsync"/>: at least this many replica processes (default N).</param>
    public static Task<EmbeddedBalancer> StartAsync(int replicas, IReadOnlyList<string> settings, string label, int? replicaProcesses = null) =>
        EmbeddedBalancer.StartAsync(LocateBinary(), replicas, [WarningsOnly, .. settings], label, replicaProcesses);

    /// <summary>The Release build of Balancer.Web (or BALANCER_WEB_BINARY), for callers that start balancers themselves.</summary>
    public static string BinaryPath => LocateBinary();

    /// <summary>The ReplicaServer the build places next to the balancer (its default replica path).</summary>
    public static string ReplicaServerPath => Path.Combine(Path.GetDirectoryName(LocateBinary())!, "ReplicaServer");

    private static string LocateBinary()
    {
        if (Environment.GetEnvironmentVariable(BinaryOverride) is { Length: > 0 } path)
        {
            return path;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LoadBalancer.slnx")))
            {
                var binary = Path.Combine(directory.FullName, "Balancer.Web", "bin", "Release", "net10.0", "Balancer.Web");
                return File.Exists(binary)
                    ? binary
                    : throw new FileNotFoundException($"build it first: dotnet build Balancer.Web -c Release ({binary})");
            }
        }

        throw new FileNotFoundException($"LoadBalancer.slnx not found above {AppContext.BaseDirectory}; set {BinaryOverride}");
    }
}
