using System.Collections.Immutable;

namespace Balancer.Actors.Runtime;

/// <summary>The callbacks registered through <see cref="IReplicaRuntime.SubscribeToExits"/>; thread-safe.</summary>
public sealed class ExitSubscribers
{
    private ImmutableList<Action<ReplicaExited>> callbacks = [];

    public IDisposable Add(Action<ReplicaExited> callback)
    {
        ImmutableInterlocked.Update(ref callbacks, list => list.Add(callback));
        return new Subscription(() => ImmutableInterlocked.Update(ref callbacks, list => list.Remove(callback)));
    }

    public void Raise(ReplicaExited exited)
    {
        foreach (var callback in callbacks)
        {
            callback(exited);
        }
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                unsubscribe();
            }
        }
    }
}
