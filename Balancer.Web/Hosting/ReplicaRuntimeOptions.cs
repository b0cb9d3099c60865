namespace Balancer.Web.Hosting;

/// <summary>
/// Which runtime runs the replicas, bound from <c>Balancer:Runtime</c>. Each runtime's own settings are
/// its options: ProcessRuntimeOptions (from <c>Balancer</c>) and DockerRuntimeOptions (<c>Balancer:Docker</c>).
/// </summary>
internal sealed record ReplicaRuntimeOptions
{
    public const string Process = "Process";
    public const string Docker = "Docker";

    /// <summary><c>Process</c> (default: local ReplicaServer processes) or <c>Docker</c>; case-insensitive.</summary>
    public string Runtime { get; init; } = Process;

    public bool IsProcess => string.Equals(Runtime, Process, StringComparison.OrdinalIgnoreCase);

    public bool IsDocker => string.Equals(Runtime, Docker, StringComparison.OrdinalIgnoreCase);

    /// <summary>Containers outlive the balancer (the next one adopts them); processes do not.</summary>
    public bool KeepsReplicasOnShutdown => IsDocker;
}
