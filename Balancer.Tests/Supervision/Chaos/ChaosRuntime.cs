using Balancer.Actors.Runtime;
using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision.Chaos;

/// <summary>
/// A runtime and heartbeat probe in memory that fail in every way a fault schedule asks for. Single
/// threaded by construction: every task it hands out completes on the schedule's thread (at once, or when
/// the schedule releases it), so a run replays exactly from its seed.
/// </summary>
internal sealed class ChaosRuntime : IReplicaRuntime, IReplicaProbe
{
    private readonly ExitSubscribers subscribers = new(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    private readonly Dictionary<string, ChaosInstance> live = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ChaosInstance> everStarted = [];
    private readonly List<(string Hostname, TaskCompletionSource<RunningReplica> Start)> hungStarts = [];
    private readonly List<(long DueTick, Action Complete)> slowStops = [];
    private readonly List<string> violations = [];
    private int nextInstance;
    private long tick;

    /// <summary>What the next starts do, in order; empty means they succeed.</summary>
    public Queue<StartFault> NextStartFaults { get; } = new();

    /// <summary>How many ticks (of the schedule's clock) a stop takes; 0 stops at once.</summary>
    public int StopTicks { get; set; }

    /// <summary>How many of the next ListAsync calls fail.</summary>
    public int ListFailures { get; set; }

    public IReadOnlyList<string> Violations => violations;

    /// <summary>How many replicas the first listing that worked returned: what the supervisor could adopt.</summary>
    public int? FirstListed { get; private set; }

    /// <summary>Replicas that run now (launched and not exited).</summary>
    public IReadOnlyCollection<ChaosInstance> Live => live.Values;

    public IReadOnlyList<ChaosInstance> EverStarted => everStarted;

    public int HungStartCount => hungStarts.Count;

    public int PendingStopCount => slowStops.Count;

    public Task<RunningReplica> StartAsync(string hostname, CancellationToken cancellationToken)
    {
        var fault = NextStartFaults.TryDequeue(out var next) ? next : StartFault.None;
        switch (fault)
        {
            case StartFault.ThrowsSynchronously:
                throw new InvalidOperationException($"chaos: the replica binary for '{hostname}' is missing");
            case StartFault.FailsAsynchronously:
                return Task.FromException<RunningReplica>(new RuntimeUnavailableException($"chaos: the runtime refused '{hostname}'"));
            case StartFault.NameConflict:
                return Task.FromException<RunningReplica>(new ReplicaNameConflictException($"chaos: '{hostname}' is taken by a foreign replica"));
            case StartFault.Hangs:
                var pending = new TaskCompletionSource<RunningReplica>();
                hungStarts.Add((hostname, pending));
                return pending.Task;
            default:
                return Task.FromResult(Launch(hostname, fault).Replica);
        }
    }

    public Task StopAsync(RunningReplica replica, CancellationToken cancellationToken)
    {
        if (!live.TryGetValue(replica.Hostname, out var instance) || instance.Replica.InstanceId != replica.InstanceId)
        {
            return Task.CompletedTask;
        }

        if (StopTicks == 0)
        {
            Exit(instance, "stopped");
            return Task.CompletedTask;
        }

        var stopped = new TaskCompletionSource();
        slowStops.Add((tick + StopTicks, () =>
        {
            Exit(instance, "stopped");
            stopped.TrySetResult();
        }));
        return stopped.Task;
    }

    public Task<IReadOnlyList<RunningReplica>> ListAsync(CancellationToken cancellationToken)
    {
        if (ListFailures > 0)
        {
            ListFailures--;
            return Task.FromException<IReadOnlyList<RunningReplica>>(new RuntimeUnavailableException("chaos: listing failed"));
        }

        FirstListed ??= live.Count;
        return Task.FromResult<IReadOnlyList<RunningReplica>>(live.Values.Select(instance => instance.Replica).ToArray());
    }

    public IDisposable SubscribeToExits(Action<ReplicaExited> onExit) => subscribers.Add(onExit);

    public Task<bool> IsServingAsync(RunningReplica replica, TimeSpan timeout)
    {
        var serving = live.TryGetValue(replica.Hostname, out var instance) && instance.Replica.InstanceId == replica.InstanceId &&
            instance.AnswersHeartbeats;
        return serving ? Task.FromResult(true) : Task.FromException<bool>(new TimeoutException("chaos: no answer"));
    }

    /// <summary>A replica that runs before the supervisor starts, for it to adopt.</summary>
    public ChaosInstance Preexisting(string hostname) => Launch(hostname, StartFault.None);

    public void Crash(ChaosInstance instance) => Exit(instance, "crashed");

    /// <summary>Completes every hung start: as a launch, or as a failure when <paramref name="fail"/>.</summary>
    public void ReleaseHungStarts(bool fail)
    {
        var released = hungStarts.ToArray();
        hungStarts.Clear();
        foreach (var (hostname, start) in released)
        {
            if (fail)
            {
                start.TrySetException(new RuntimeUnavailableException($"chaos: the start of '{hostname}' failed late"));
            }
            else if (live.ContainsKey(hostname))
            {
                start.TrySetException(new ReplicaNameConflictException($"chaos: '{hostname}' already runs"));
            }
            else
            {
                start.TrySetResult(Launch(hostname, StartFault.None).Replica);
            }
        }
    }

    /// <summary>One tick of the schedule's clock: completes the stops that are due.</summary>
    public void Tick()
    {
        tick++;
        var due = slowStops.Where(stop => stop.DueTick <= tick).ToArray();
        slowStops.RemoveAll(stop => stop.DueTick <= tick);
        foreach (var (_, complete) in due)
        {
            complete();
        }
    }

    /// <summary>Ends every fault for good: what a quiescent world looks like.</summary>
    public void Heal()
    {
        NextStartFaults.Clear();
        ListFailures = 0;
        foreach (var instance in live.Values)
        {
            instance.AnswersHeartbeats = true;
        }
    }

    private ChaosInstance Launch(string hostname, StartFault fault)
    {
        if (live.ContainsKey(hostname))
        {
            violations.Add($"'{hostname}' was started while an earlier replica of that name still ran");
            throw new ReplicaNameConflictException($"chaos: '{hostname}' already runs");
        }

        var id = $"chaos-{++nextInstance}";
        var instance = new ChaosInstance(new RunningReplica(hostname, new Uri($"http://{hostname.ToLowerInvariant()}.chaos:5000"), id))
        {
            AnswersHeartbeats = fault != StartFault.NeverServes,
        };
        everStarted.Add(instance);
        if (fault == StartFault.ExitsAtOnce)
        {
            // The exit can overtake the news of the launch, as a crashing process's does.
            instance.Exited = true;
            subscribers.Raise(new ReplicaExited(hostname, id, "exited at once"));
            return instance;
        }

        live[hostname] = instance;
        return instance;
    }

    private void Exit(ChaosInstance instance, string reason)
    {
        if (instance.Exited)
        {
            return;
        }

        instance.Exited = true;
        live.Remove(instance.Replica.Hostname);
        subscribers.Raise(new ReplicaExited(instance.Replica.Hostname, instance.Replica.InstanceId, reason));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>One replica the chaos runtime launched.</summary>
internal sealed class ChaosInstance(RunningReplica replica)
{
    public RunningReplica Replica { get; } = replica;

    public bool AnswersHeartbeats { get; set; } = true;

    public bool Exited { get; set; }
}
