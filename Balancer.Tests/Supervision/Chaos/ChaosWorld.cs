using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.TestKit;
using Balancer.Actors.Ring;
using Balancer.Actors.Routing;
using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision.Chaos;

/// <summary>
/// Runs one fault schedule against a real ring actor and supervisor on virtual time, and checks the
/// control plane's promises after every step and once the faults end. The actor system runs every actor
/// on the calling thread, so a run is deterministic: the same schedule gives the same history.
/// </summary>
internal sealed class ChaosWorld
{
    /// <summary>One tick of the virtual clock; the schedule's steps advance it in ticks.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>Virtual time given to a healed world to settle before the final checks.</summary>
    private static readonly TimeSpan SettleLimit = TimeSpan.FromMinutes(3);

    private readonly ActorSystem system;
    private readonly TestScheduler clock;
    private readonly ChaosSchedule schedule;
    private readonly ChaosRuntime runtime = new();
    private readonly SupervisorOptions options;
    private readonly List<string> violations = [];
    private readonly List<string> history = [];
    private readonly List<PendingCommand> pending = [];
    private readonly HashSet<string> gone = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyList<string> lastListed = [];
    private RoutingTablePublisher routing = null!;
    private IActorRef ring = ActorRefs.Nobody;
    private IActorRef supervisor = ActorRefs.Nobody;
    private DateTimeOffset startedAt;
    private int changed;

    public ChaosWorld(ActorSystem system, ChaosSchedule schedule)
    {
        this.system = system;
        this.schedule = schedule;
        clock = (TestScheduler)system.Scheduler;
        options = new SupervisorOptions
        {
            ReplicaSet = new ReplicaSetOptions { Replicas = schedule.Replicas, Spares = schedule.Spares, DrainTimeout = TimeSpan.FromSeconds(1) },
            MaxReplicas = 8,
            Heartbeat = new HeartbeatOptions
            {
                Interval = TimeSpan.FromMilliseconds(500),
                Timeout = TimeSpan.FromSeconds(1),
                MissesBeforeDead = 3,
                StartTimeout = TimeSpan.FromSeconds(5),
            },
            Random = new Random(schedule.Seed),
        };
    }

    public IReadOnlyList<string> Violations => violations;

    public IReadOnlyList<string> History => history;

    public int FaultKindsUsed { get; private set; }

    /// <summary>How many crashes of a listed replica found a ready spare with nothing else going on (each checked for a promotion at once).</summary>
    public int PromotionsChecked { get; private set; }

    /// <summary>Runs the schedule; returns the violations found (empty when every promise held).</summary>
    public IReadOnlyList<string> Run()
    {
        try
        {
            Start();
            for (var index = 0; index < schedule.Steps.Count && violations.Count == 0; index++)
            {
                var step = schedule.Steps[index];
                history.Add($"{Now,9:0.0} s  step {index}: {step}");
                var promotion = ExpectedPromotion(step);
                Apply(step);
                Advance(1);
                Check($"after step {index} ({step})");
                CheckPromotion(promotion, $"after step {index} ({step})");
            }

            if (violations.Count == 0)
            {
                Settle();
            }
        }
        catch (Exception exception)
        {
            violations.Add($"the run threw: {exception}");
        }
        finally
        {
            system.Stop(supervisor);
            system.Stop(ring);
        }

        violations.AddRange(runtime.Violations);
        return violations;
    }

    /// <summary>
    /// N as the answered commands make it, from what the supervisor could adopt at start-up: beyond N, up to
    /// the spares are adopted as spares (the schedules' preexisting names are never configured ones).
    /// </summary>
    private int Desired
    {
        get
        {
            var adopted = runtime.FirstListed ?? schedule.Preexisting.Count;
            return Math.Max(schedule.Replicas, adopted - Math.Min(schedule.Spares, Math.Max(0, adopted - schedule.Replicas))) + changed;
        }
    }

    private double Now => (clock.Now - startedAt).TotalSeconds;

    private void Start()
    {
        foreach (var name in schedule.Preexisting)
        {
            runtime.Preexisting(name);
        }

        startedAt = clock.Now;
        runtime.ListFailures = schedule.ListFailures;
        var map = new ConsistentHashMap();
        routing = new RoutingTablePublisher(RoutingTable.Empty(map.Current));
        ring = system.ActorOf(RingActor.Props(map, routing));
        supervisor = system.ActorOf(ReplicaSupervisor.Props(runtime, runtime, ring, options));
        Advance(1);
    }

    private void Apply(ChaosStep step)
    {
        switch (step)
        {
            case ChaosStep.Add add:
                Send(new AddReplicas(add.Count, add.Hostnames), add.ToString(), add.Count, add.Hostnames);
                break;
            case ChaosStep.Remove remove:
                var named = remove.Listed.Where(_ => lastListed.Count > 0).Select(position => lastListed[position % lastListed.Count])
                    .Concat(remove.Unknown).ToArray();
                Send(new RemoveReplicas(remove.Count, named), $"rm n={remove.Count} [{string.Join(",", named)}]", -remove.Count, named);
                break;
            case ChaosStep.Crash crash when LiveAt(crash.Index) is { } victim:
                runtime.Crash(victim);
                break;
            case ChaosStep.Hang hang when LiveAt(hang.Index) is { } hung:
                hung.AnswersHeartbeats = false;
                break;
            case ChaosStep.Recover recover when LiveAt(recover.Index) is { } recovered:
                recovered.AnswersHeartbeats = true;
                break;
            case ChaosStep.FailStarts failStarts:
                foreach (var fault in failStarts.Faults)
                {
                    runtime.NextStartFaults.Enqueue(fault);
                }

                break;
            case ChaosStep.ReleaseHungStarts release:
                runtime.ReleaseHungStarts(release.Fail);
                break;
            case ChaosStep.SlowStops slow:
                runtime.StopTicks = slow.Ticks;
                break;
            case ChaosStep.Advance advance:
                Advance(advance.Ticks);
                break;
        }
    }

    private ChaosInstance? LiveAt(int index)
    {
        var live = runtime.Live.OrderBy(instance => instance.Replica.InstanceId, StringComparer.Ordinal).ToArray();
        return live.Length == 0 ? null : live[index % live.Length];
    }

    private void Send(object command, string description, int change, IReadOnlyList<string> hostnames)
    {
        var (recorder, reply) = NewRecorder();
        pending.Add(new PendingCommand(command, description, change, hostnames, clock.Now, recorder, reply));
        supervisor.Tell(command, recorder);
    }

    private void Advance(int ticks)
    {
        for (var tick = 0; tick < ticks; tick++)
        {
            runtime.Tick();
            clock.Advance(Tick);
            CollectReplies();
        }
    }

    /// <summary>Records answered commands and what they changed; flags any that outlived its deadline.</summary>
    private void CollectReplies()
    {
        var deadline = options.ChangeDeadline;
        foreach (var command in pending.ToArray())
        {
            if (command.Reply.Value is not { } reply)
            {
                if (clock.Now - command.SentAt > deadline + Tick)
                {
                    violations.Add($"{Now,9:0.0} s  {command.Description} was not answered within its deadline of {deadline.TotalSeconds:0.#} s");
                    pending.Remove(command);
                }

                continue;
            }

            pending.Remove(command);
            system.Stop(command.Recorder);
            history.Add($"{Now,9:0.0} s  answered {command.Description}: {Describe(reply)}");
            if (reply is not ReplicaSet set)
            {
                continue;
            }

            changed += command.Change;
            if (command.Change > 0)
            {
                foreach (var name in command.Hostnames)
                {
                    gone.Remove(name);
                }
            }

            foreach (var name in set.Replicas)
            {
                gone.Remove(name);
            }

            foreach (var name in lastListed.Except(set.Replicas, StringComparer.OrdinalIgnoreCase))
            {
                gone.Add(name);
            }

            lastListed = set.Replicas;
        }
    }

    /// <summary>The promises that hold between any two steps.</summary>
    private void Check(string when)
    {
        var listed = List();
        foreach (var name in lastListed.Except(listed, StringComparer.OrdinalIgnoreCase))
        {
            gone.Add(name);
        }

        foreach (var name in listed.Where(gone.Contains))
        {
            violations.Add($"{when}: '{name}' left the set and came back without an /add naming it");
        }

        lastListed = listed;
        var routed = routing.Current.Snapshot.Replicas;
        if (!listed.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(routed.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
        {
            violations.Add($"{when}: /rep lists [{string.Join(",", listed)}] but the ring routes to [{string.Join(",", routed)}]");
        }

        CheckSpares(when, listed, routed);
    }

    /// <summary>Spares are never listed or routed to, never more than configured, and a ready one runs.</summary>
    private void CheckSpares(string when, IReadOnlyList<string> listed, IReadOnlyList<string> routed)
    {
        var spares = Spares();
        var all = spares.Ready.Concat(spares.Starting).ToArray();
        foreach (var spare in all.Where(spare => listed.Contains(spare, StringComparer.OrdinalIgnoreCase) || routed.Contains(spare, StringComparer.OrdinalIgnoreCase)))
        {
            violations.Add($"{when}: spare '{spare}' is listed or in the ring");
        }

        if (all.Length > schedule.Spares)
        {
            violations.Add($"{when}: {all.Length} spares [{string.Join(",", all)}], more than the {schedule.Spares} configured");
        }

        foreach (var spare in spares.Ready.Where(spare => !runtime.Live.Any(instance => Same(instance.Replica.Hostname, spare))))
        {
            violations.Add($"{when}: ready spare '{spare}' does not run");
        }
    }

    /// <summary>
    /// A crash of a listed replica while spares are ready (and answer heartbeats) and no change is in progress:
    /// a spare must take its place at once (within the step's one tick), not after a start.
    /// </summary>
    private (string Victim, IReadOnlyList<string> Listed, IReadOnlyList<string> Ready)? ExpectedPromotion(ChaosStep step)
    {
        if (step is not ChaosStep.Crash crash || pending.Count > 0 || LiveAt(crash.Index) is not { } victim)
        {
            return null;
        }

        var listed = List();
        var ready = Spares().Ready;
        // A hung spare may be promoted and then declared dead in the same tick: only spares that answer count.
        var answering = ready.All(spare => runtime.Live.Any(instance => Same(instance.Replica.Hostname, spare) && instance.AnswersHeartbeats));
        // Likewise a hung listed replica may be declared dead in the same tick and take a second spare.
        var othersAnswer = listed.Where(name => !Same(name, victim.Replica.Hostname))
            .All(name => runtime.Live.Any(instance => Same(instance.Replica.Hostname, name) && instance.AnswersHeartbeats));
        return listed.Contains(victim.Replica.Hostname, StringComparer.OrdinalIgnoreCase) && ready.Count > 0 && answering && othersAnswer
            ? (victim.Replica.Hostname, listed, ready)
            : null;
    }

    private void CheckPromotion((string Victim, IReadOnlyList<string> Listed, IReadOnlyList<string> Ready)? expected, string when)
    {
        if (expected is not { } promotion)
        {
            return;
        }

        PromotionsChecked++;
        var listed = List();
        var joined = listed.Except(promotion.Listed, StringComparer.OrdinalIgnoreCase).ToArray();
        if (listed.Contains(promotion.Victim, StringComparer.OrdinalIgnoreCase) || listed.Count != promotion.Listed.Count ||
            joined.Length != 1 || !promotion.Ready.Contains(joined[0], StringComparer.OrdinalIgnoreCase))
        {
            violations.Add($"{when}: '{promotion.Victim}' crashed with spares [{string.Join(",", promotion.Ready)}] ready, " +
                $"but /rep went from [{string.Join(",", promotion.Listed)}] to [{string.Join(",", listed)}] instead of taking a spare at once");
        }
    }

    private static bool Same(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);

    /// <summary>Ends the faults, lets the world settle and checks the state it settles in.</summary>
    private void Settle()
    {
        runtime.Heal();
        runtime.StopTicks = 0;
        runtime.ReleaseHungStarts(fail: false);
        history.Add($"{Now,9:0.0} s  healed");
        var settleBy = clock.Now + SettleLimit;
        while (clock.Now < settleBy && !Settled())
        {
            Advance(5);
            runtime.ReleaseHungStarts(fail: false);
        }

        Check("once settled");
        var listed = List();
        if (pending.Count > 0)
        {
            violations.Add($"once settled: {pending.Count} command(s) still unanswered");
        }

        if (listed.Count != Desired)
        {
            violations.Add($"once settled: /rep lists {listed.Count} replicas [{string.Join(",", listed)}], the answered commands make N = {Desired}");
        }

        var spares = Spares();
        if (spares.Ready.Count != schedule.Spares || spares.Starting.Count > 0)
        {
            violations.Add($"once settled: spares ready [{string.Join(",", spares.Ready)}], starting [{string.Join(",", spares.Starting)}], " +
                $"but {schedule.Spares} should be ready");
        }

        var live = runtime.Live.Select(instance => instance.Replica.Hostname).Order(StringComparer.OrdinalIgnoreCase).ToArray();
        var expected = listed.Concat(spares.Ready).Order(StringComparer.OrdinalIgnoreCase).ToArray();
        if (!live.SequenceEqual(expected, StringComparer.OrdinalIgnoreCase))
        {
            violations.Add($"once settled: the runtime runs [{string.Join(",", live)}] but /rep lists [{string.Join(",", listed)}] " +
                $"and the spares are [{string.Join(",", spares.Ready)}] (a leak or a lost replica)");
        }
    }

    private bool Settled()
    {
        var listed = List();
        var spares = Spares();
        return pending.Count == 0 && listed.Count == Desired && spares.Ready.Count == schedule.Spares && spares.Starting.Count == 0 &&
            runtime.Live.Count == listed.Count + schedule.Spares && runtime.PendingStopCount == 0 && runtime.HungStartCount == 0;
    }

    private SpareSet Spares()
    {
        var (recorder, reply) = NewRecorder();
        supervisor.Tell(GetSpares.Instance, recorder);
        system.Stop(recorder);
        if (reply.Value is not SpareSet spares)
        {
            violations.Add($"GetSpares was not answered at once ({reply.Value?.GetType().Name ?? "no reply"})");
            return new SpareSet([], []);
        }

        return spares;
    }

    private IReadOnlyList<string> List()
    {
        var (recorder, reply) = NewRecorder();
        supervisor.Tell(GetReplicas.Instance, recorder);
        system.Stop(recorder);
        if (reply.Value is not ReplicaSet set)
        {
            violations.Add($"GET /rep was not answered at once ({reply.Value?.GetType().Name ?? "no reply"})");
            return lastListed;
        }

        return set.Replicas;
    }

    private (IActorRef Recorder, StrongBox<object?> Reply) NewRecorder()
    {
        var reply = new StrongBox<object?>();
        return (system.ActorOf(Props.Create(() => new ReplyRecorder(reply))), reply);
    }

    private static string Describe(object reply) => reply switch
    {
        ReplicaSet set => $"[{string.Join(",", set.Replicas)}]",
        AdminRejected rejected => $"{rejected.Kind}: {rejected.Message}",
        _ => reply.ToString() ?? "null",
    };

    private sealed record PendingCommand(
        object Command, string Description, int Change, IReadOnlyList<string> Hostnames, DateTimeOffset SentAt, IActorRef Recorder, StrongBox<object?> Reply);
}
