namespace Balancer.Actors.Runtime;

/// <param name="Hostname">The replica's name: its SERVER_ID and, in Docker, its container name and alias.</param>
/// <param name="Address">The base address the balancer forwards to and heartbeats.</param>
/// <param name="InstanceId">What the runtime knows it by: a process id or a container id.</param>
public sealed record RunningReplica(string Hostname, Uri Address, string InstanceId);
