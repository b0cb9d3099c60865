namespace Balancer.Actors.Runtime.Process;

public sealed record ProcessRuntimeOptions
{
    /// <summary>
    /// The ReplicaServer build: its apphost (<c>ReplicaServer</c>) or <c>ReplicaServer.dll</c>. By default
    /// the copy the build places next to the balancer.
    /// </summary>
    public string ReplicaServerPath { get; init; } = Path.Combine(AppContext.BaseDirectory, "ReplicaServer");

    /// <summary>Where each replica's output goes (one file per replica); null drains and drops it.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>How long a replica has to exit after its standard input closes before it is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
