using Balancer.Actors.Runtime;

namespace Balancer.Tests.Runtime;

/// <summary>A test double of the cluster's replica inventory: whatever the test records, or a failure.</summary>
internal sealed class ListedInventory : IReplicaInventory
{
    private volatile IReadOnlyList<RunningReplica> recorded = [];
    private volatile Exception? failure;

    public int Reads { get; private set; }

    public void Record(params RunningReplica[] replicas) => recorded = replicas;

    public void FailWith(Exception exception) => failure = exception;

    public Task<IReadOnlyList<RunningReplica>> ReadAsync(CancellationToken cancellationToken)
    {
        Reads++;
        return failure is { } exception ? Task.FromException<IReadOnlyList<RunningReplica>>(exception) : Task.FromResult(recorded);
    }
}
