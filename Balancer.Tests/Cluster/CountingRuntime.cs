using Balancer.Actors.Runtime;
using Balancer.Tests.Supervision;

namespace Balancer.Tests.Cluster;

/// <summary>
/// A <see cref="FakeRuntime"/> that counts the supervisors using it: each subscribes to exits when it starts
/// and ends its subscription when it stops, so the live subscriptions are the schedulers running at once.
/// </summary>
internal sealed class CountingRuntime(FakeRuntime inner) : IReplicaRuntime
{
    private readonly Lock gate = new();
    private int live;

    public FakeRuntime Inner { get; } = inner;

    /// <summary>The most supervisors that were running at the same moment.</summary>
    public int MostAtOnce { get; private set; }

    public int Live
    {
        get
        {
            lock (gate)
            {
                return live;
            }
        }
    }

    public Task<RunningReplica> StartAsync(string hostname, CancellationToken cancellationToken) => Inner.StartAsync(hostname, cancellationToken);

    public Task StopAsync(RunningReplica replica, CancellationToken cancellationToken) => Inner.StopAsync(replica, cancellationToken);

    public Task<IReadOnlyList<RunningReplica>> ListAsync(CancellationToken cancellationToken) => Inner.ListAsync(cancellationToken);

    public IDisposable SubscribeToExits(Action<ReplicaExited> onExit)
    {
        lock (gate)
        {
            live++;
            MostAtOnce = Math.Max(MostAtOnce, live);
        }

        return new Subscription(this, Inner.SubscribeToExits(onExit));
    }

    public ValueTask DisposeAsync() => Inner.DisposeAsync();

    private void Ended()
    {
        lock (gate)
        {
            live--;
        }
    }

    private sealed class Subscription(CountingRuntime owner, IDisposable inner) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                inner.Dispose();
                owner.Ended();
            }
        }
    }
}
