namespace Balancer.Actors.Runtime.Docker;

/// <summary>
/// The labels that mark a container (or network) as this project's. Only containers carrying both
/// the managed-by label and this balancer's instance label are ever listed, stopped or removed.
/// </summary>
public static class DockerLabels
{
    public const string ManagedBy = "lb.managed-by";
    public const string ManagedByValue = "customizable-lb";
    public const string Instance = "lb.instance";

    /// <summary>The replica's hostname, so events and listings name it without parsing container names.</summary>
    public const string Replica = "lb.replica";

    public static Dictionary<string, string> ForReplica(string instanceId, string hostname) => new()
    {
        [ManagedBy] = ManagedByValue,
        [Instance] = instanceId,
        [Replica] = hostname,
    };

    /// <summary>Whether the labels say the container belongs to the given balancer instance.</summary>
    public static bool BelongTo(IDictionary<string, string>? labels, string instanceId) =>
        labels is not null
        && labels.TryGetValue(ManagedBy, out var managedBy) && managedBy == ManagedByValue
        && labels.TryGetValue(Instance, out var instance) && instance == instanceId;

    /// <summary>The engine-side <c>label</c> filter that selects one instance's containers.</summary>
    public static IDictionary<string, bool> InstanceFilter(string instanceId) => new Dictionary<string, bool>
    {
        [$"{ManagedBy}={ManagedByValue}"] = true,
        [$"{Instance}={instanceId}"] = true,
    };
}
