namespace Balancer.Actors.Cluster;

/// <summary>
/// One replica of the replicated ring: what every node needs to build the same routing table (its name and
/// server id, in join order) and to forward to it (its address), plus what a new scheduler needs to adopt it.
/// </summary>
/// <param name="ServerId">The id its virtual servers are placed by (i in Φ): chosen once, by the scheduler, when it joins.</param>
/// <param name="InstanceId">What the runtime knows it by: a process id or a container id.</param>
public sealed record RingMember(string Hostname, Uri Address, int ServerId, string InstanceId);
