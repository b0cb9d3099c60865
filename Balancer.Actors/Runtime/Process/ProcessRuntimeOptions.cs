namespace Balancer.Actors.Runtime.Process;

/// <summary>
/// Settings of the process runtime. The balancer binds them from the <c>Balancer</c> section
/// (<c>ReplicaServerPath</c>, <c>ReplicaLogDirectory</c>), where an empty value means the default.
/// </summary>
public sealed record ProcessRuntimeOptions
{
    /// <summary>The copy of ReplicaServer the build places next to the balancer.</summary>
    public static string DefaultReplicaServerPath { get; } = Path.Combine(AppContext.BaseDirectory, "ReplicaServer");

    /// <summary>The ReplicaServer build: its apphost (<c>ReplicaServer</c>) or <c>ReplicaServer.dll</c>.</summary>
    public string ReplicaServerPath
    {
        get;
        init => field = string.IsNullOrEmpty(value) ? DefaultReplicaServerPath : value;
    } = DefaultReplicaServerPath;

    /// <summary>Where each replica's output goes (one file per replica); null drains and drops it.</summary>
    public string? ReplicaLogDirectory
    {
        get;
        init => field = string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>
    /// How long a replica has to exit after its standard input closes before it is killed. Not a setting:
    /// the internal init keeps the configuration binder from binding a <c>Balancer:StopTimeout</c>.
    /// </summary>
    public TimeSpan StopTimeout { get; internal init; } = TimeSpan.FromSeconds(5);
}
