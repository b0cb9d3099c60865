using Balancer.Actors.Routing;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Cluster;

/// <summary>
/// The replicated state of a cluster's replica set: the ring's members in join order with their server ids,
/// and the desired N. Only the scheduler (the supervisor singleton's node) writes it, one version after the
/// other; every node builds its routing table from it with <see cref="Build"/>, so the same version is the
/// same table everywhere. Immutable.
/// </summary>
/// <param name="Version">Grows by one with every change; the register keeps the highest.</param>
/// <param name="Desired">N as the scheduler last set it; null until a scheduler has.</param>
public sealed record RingInputs(long Version, int? Desired, IReadOnlyList<RingMember> Members)
{
    public static readonly RingInputs Empty = new(0, null, []);

    /// <summary>
    /// The replicas added after the members, each with the lowest server id no member has (as a single ring
    /// gives them, so a replacement takes the dead one's slots). A replica already a member (a new scheduler
    /// adopting it) keeps its place and id; its address and instance id are updated.
    /// </summary>
    public RingInputs Joined(IReadOnlyList<RunningReplica> replicas)
    {
        var members = Members.ToList();
        foreach (var replica in replicas)
        {
            var index = members.FindIndex(member => Same(member.Hostname, replica.Hostname));
            if (index >= 0)
            {
                members[index] = members[index] with { Address = replica.Address, InstanceId = replica.InstanceId };
                continue;
            }

            members.Add(new RingMember(replica.Hostname, replica.Address, LowestFreeServerId(members), replica.InstanceId));
        }

        return this with { Version = Version + 1, Members = members };
    }

    public RingInputs Left(IReadOnlyList<string> hostnames) =>
        this with
        {
            Version = Version + 1,
            Members = Members.Where(member => !hostnames.Any(hostname => Same(hostname, member.Hostname))).ToArray(),
        };

    public RingInputs WithDesired(int desired) => this with { Version = Version + 1, Desired = desired };

    public bool Contains(string hostname) => Members.Any(member => Same(member.Hostname, hostname));

    /// <summary>
    /// The routing map of these inputs: the members added with their server ids, in join order, to an empty
    /// map. Not the incremental map of a single node (probing makes a ring's layout depend on the history of
    /// changes), but the same function of the same inputs on every node.
    /// </summary>
    /// <exception cref="ArgumentException">A name or server id appears twice.</exception>
    /// <exception cref="RingFullException">The members do not fit.</exception>
    public IRouteSnapshot Build(Func<IReplicaMap> emptyMap)
    {
        var map = emptyMap();
        foreach (var member in Members)
        {
            map.Add(member.Hostname, member.ServerId);
        }

        return map.Current;
    }

    private static int LowestFreeServerId(IEnumerable<RingMember> members)
    {
        var taken = members.Select(member => member.ServerId).ToHashSet();
        var id = 1;
        while (taken.Contains(id))
        {
            id++;
        }

        return id;
    }

    private static bool Same(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);

    // Records compare lists by reference; inputs compare by what they hold (tests and the register's merge rely on it).
    public bool Equals(RingInputs? other) =>
        other is not null && Version == other.Version && Desired == other.Desired && Members.SequenceEqual(other.Members);

    public override int GetHashCode() => HashCode.Combine(Version, Desired, Members.Count);
}
