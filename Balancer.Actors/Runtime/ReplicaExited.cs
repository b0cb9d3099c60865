namespace Balancer.Actors.Runtime;

/// <summary>A replica's process or container ended. <paramref name="InstanceId"/> tells a replaced instance from its successor.</summary>
public sealed record ReplicaExited(string Hostname, string InstanceId, string Reason);
