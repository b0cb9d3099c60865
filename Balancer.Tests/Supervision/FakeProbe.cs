using System.Collections.Concurrent;
using Balancer.Actors.Runtime;
using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision;

/// <summary>Heartbeats against a <see cref="FakeRuntime"/>: running replicas answer unless hung.</summary>
internal sealed class FakeProbe(FakeRuntime runtime) : IReplicaProbe
{
    private readonly ConcurrentDictionary<string, bool> hung = new(StringComparer.OrdinalIgnoreCase);
    private int heartbeats;

    public int Heartbeats => heartbeats;

    public void Hang(string hostname) => hung[hostname] = true;

    /// <summary>The replica answers no heartbeat until <see cref="Release"/> (a slow start).</summary>
    public void Hold(string hostname) => hung[hostname] = true;

    public void Release(string hostname) => hung.TryRemove(hostname, out _);

    /// <summary>Replicas whose name matches answer no heartbeat (for names not known in advance, such as a spare's).</summary>
    public Func<string, bool> HoldWhere { get; set; } = _ => false;

    public Task<bool> IsServingAsync(RunningReplica replica, TimeSpan timeout)
    {
        Interlocked.Increment(ref heartbeats);
        var current = runtime.Get(replica.Hostname);
        var serving = current?.InstanceId == replica.InstanceId && !hung.ContainsKey(replica.Hostname) && !HoldWhere(replica.Hostname);
        return serving ? Task.FromResult(true) : Task.FromException<bool>(new TimeoutException("no answer"));
    }
}
