using Akka.Actor;
using Akka.Cluster;
using Balancer.Web.Management;

namespace Balancer.Web.Cluster;

/// <summary>
/// The status page's view of the cluster, read from this node's own cluster state (no message to anyone).
/// The scheduler is where the singleton manager puts the supervisor: the oldest member that is up (or
/// leaving, until it hands over; an exiting one has handed over), reachable or not, since an unreachable one
/// keeps it until it is downed. During a hand-over this names the node taking over a moment early.
/// </summary>
internal sealed class ClusterView(ActorSystem system)
{
    public ClusterStatus Read()
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var scheduler = state.Members
            .Where(member => member.Status is MemberStatus.Up or MemberStatus.Leaving)
            .Aggregate((Member?)null, (oldest, member) => oldest is null || member.IsOlderThan(oldest) ? member : oldest);
        return new ClusterStatus(
            cluster.SelfAddress.ToString(),
            scheduler?.Address.ToString(),
            state.Members
                .OrderBy(member => member.Address.ToString(), StringComparer.Ordinal)
                .Select(member => new ClusterMemberStatus(member.Address.ToString(), member.Status.ToString().ToLowerInvariant(),
                    !state.Unreachable.Contains(member)))
                .ToArray());
    }
}
