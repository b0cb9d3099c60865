using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Balancer.Actors.Runtime;

/// <summary>The callbacks registered through <see cref="IReplicaRuntime.SubscribeToExits"/>; thread-safe.</summary>
public sealed class ExitSubscribers(ILogger logger)
{
    private ImmutableList<Action<ReplicaExited>> callbacks = [];

    public bool Any => !Volatile.Read(ref callbacks).IsEmpty;

    public IDisposable Add(Action<ReplicaExited> callback)
    {
        ImmutableInterlocked.Update(ref callbacks, list => list.Add(callback));
        return new Subscription(() => ImmutableInterlocked.Update(ref callbacks, list => list.Remove(callback)));
    }

    public void Raise(ReplicaExited exited)
    {
        foreach (var callback in Volatile.Read(ref callbacks))
        {
            try
            {
                callback(exited);
            }
            catch (Exception exception)
            {
                // One faulty subscriber must not keep the others, or the event stream, from going on.
                logger.LogError(exception, "An exit subscriber failed on {Hostname}", exited.Hostname);
            }
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
