using Akka.Actor;
using Akka.DistributedData;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Cluster;

/// <summary>
/// <see cref="IReplicaInventory"/> over the replicated ring: the members of the latest <see cref="RingInputs"/>
/// a majority of the nodes has, so a new scheduler can adopt replicas whose starter is gone. Spares and
/// replicas still starting are not recorded: after a hand-over they end by the orphan rule, and the new
/// scheduler starts fresh ones.
/// </summary>
/// <param name="system">The node's actor system; asked for when a read begins (it is created after this object).</param>
public sealed class ReplicatedReplicaInventory(Func<ActorSystem> system, IReadConsistency consistency) : IReplicaInventory
{
    public async Task<IReadOnlyList<RunningReplica>> ReadAsync(CancellationToken cancellationToken)
    {
        var replicator = DistributedData.Get(system()).Replicator;
        // The replicator answers within the read's own timeout; the margin covers a busy node.
        var response = await replicator.Ask<IGetResponse>(Dsl.Get(ReplicatedRingSettings.Key, consistency),
            consistency.Timeout + TimeSpan.FromSeconds(2), cancellationToken);
        return response switch
        {
            GetSuccess success => success.Get(ReplicatedRingSettings.Key).Value.Members
                .Select(member => new RunningReplica(member.Hostname, member.Address, member.InstanceId))
                .ToArray(),
            NotFound => [],
            _ => throw new InvalidOperationException(
                $"The replicated replica set could not be read ({response.GetType().Name}): too few nodes answered within {consistency.Timeout.TotalSeconds:0.#} s."),
        };
    }
}
