using Akka.Actor;
using Akka.DistributedData;
using Akka.Event;
using Balancer.Actors.Ring;
using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using Balancer.Actors.Runtime;

namespace Balancer.Actors.Cluster;

/// <summary>
/// The ring of one node of a cluster. Every node runs one; it builds its routing table from the replicated
/// <see cref="RingInputs"/> (DistributedData, one LWW register) and publishes it to its own data path, so a
/// request never leaves its node. On the scheduler's node it also serves the supervisor's
/// <see cref="JoinRing"/> and <see cref="LeaveRing"/> exactly like the single node's <see cref="RingActor"/>:
/// the change is written (majority), then applied here and answered with this node's table. Every table is the
/// same function of the inputs (<see cref="RingInputs.Build"/>), so the same version routes the same
/// everywhere. Each replica keeps its <see cref="ReplicaRoute"/> (health, in-flight count) across tables while
/// its address stays; a node whose scheduler is gone keeps routing from its last table.
/// </summary>
public sealed class ReplicatedRingActor : ReceiveActor, IWithUnboundedStash
{
    private readonly Func<IReplicaMap> emptyMap;
    private readonly RoutingTablePublisher publisher;
    private readonly ReplicaHealthPolicy health;
    private readonly ReplicatedRingSettings settings;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly Dictionary<string, ReplicaRoute> routes = new(StringComparer.OrdinalIgnoreCase);
    private readonly IActorRef replicator;
    private readonly Akka.Cluster.UniqueAddress self;
    private RingInputs applied = RingInputs.Empty;
    private PendingWrite? pending;
    private IActorRef? reader;

    public ReplicatedRingActor(Func<IReplicaMap> emptyMap, RoutingTablePublisher publisher, ReplicaHealthPolicy health, ReplicatedRingSettings settings)
    {
        this.emptyMap = emptyMap;
        this.publisher = publisher;
        this.health = health;
        this.settings = settings;
        replicator = DistributedData.Get(Context.System).Replicator;
        self = Akka.Cluster.Cluster.Get(Context.System).SelfUniqueAddress;
        Become(Ready);
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(Func<IReplicaMap> emptyMap, RoutingTablePublisher publisher, ReplicaHealthPolicy health, ReplicatedRingSettings settings) =>
        Akka.Actor.Props.Create(() => new ReplicatedRingActor(emptyMap, publisher, health, settings));

    protected override void PreStart() => replicator.Tell(Dsl.Subscribe(ReplicatedRingSettings.Key, Self));

    private void Ready()
    {
        IgnoreBroadcastAnswers();
        Receive<Changed>(changed => ApplyNewer(changed.Get(ReplicatedRingSettings.Key).Value));
        Receive<JoinRing>(Join);
        Receive<LeaveRing>(leave => Write(applied.Left(leave.Hostnames), Sender, (table, departed) => new RingLeft(table, departed)));
        Receive<RecordDesired>(record =>
        {
            if (applied.Desired != record.Desired)
            {
                Write(applied.WithDesired(record.Desired), ActorRefs.Nobody, null);
            }
        });
        Receive<GetRecordedReplicaSet>(_ =>
        {
            reader = Sender;
            replicator.Tell(Dsl.Get(ReplicatedRingSettings.Key, settings.ReadConsistency));
            Become(Reading);
        });
        Receive<GetRingInputs>(_ => Sender.Tell(applied));
    }

    /// <summary>A majority read for a new scheduler: changes wait until it is answered.</summary>
    private void Reading()
    {
        IgnoreBroadcastAnswers();
        Receive<GetSuccess>(success =>
        {
            ApplyNewer(success.Get(ReplicatedRingSettings.Key).Value);
            AnswerReader();
        });
        Receive<NotFound>(_ => AnswerReader());
        Receive<GetFailure>(_ =>
        {
            log.Warning("No majority answered the read of the ring's inputs in time; the new scheduler starts from this node's copy (version {0})",
                applied.Version);
            AnswerReader();
        });
        Receive<Changed>(changed => ApplyNewer(changed.Get(ReplicatedRingSettings.Key).Value));
        Receive<GetRingInputs>(_ => Sender.Tell(applied));
        ReceiveAny(_ => Stash.Stash());
    }

    /// <summary>One write at a time, so versions follow each other; everything else waits for its answer.</summary>
    private void Writing()
    {
        IgnoreBroadcastAnswers();
        Receive<UpdateSuccess>(_ => FinishWrite());
        Receive<UpdateTimeout>(_ =>
        {
            // The local replicator has the change and gossips it on; the others get it once they answer again.
            log.Warning("Version {0} of the ring's inputs reached no majority within the write timeout; applied here, spreading by gossip",
                pending!.Inputs.Version);
            FinishWrite();
        });
        Receive<ModifyFailure>(failure => FailWrite(failure.Cause));
        Receive<StoreFailure>(_ => FailWrite(new InvalidOperationException("the replicator could not store the ring's inputs")));
        Receive<GetRingInputs>(_ => Sender.Tell(applied));
        ReceiveAny(_ => Stash.Stash());
    }

    private void AnswerReader()
    {
        reader?.Tell(new RecordedReplicaSet(applied.Desired, applied.Members));
        reader = null;
        Become(Ready);
        Stash.UnstashAll();
    }

    private void Join(JoinRing join)
    {
        var next = applied.Joined(join.Replicas);
        try
        {
            next.Build(emptyMap);
        }
        catch (Exception exception) when (exception is ArgumentException or RingFullException)
        {
            log.Warning("Join of {0} refused: {1}", string.Join(", ", join.Replicas.Select(r => r.Hostname)), exception.Message);
            Sender.Tell(new Status.Failure(exception));
            return;
        }

        Write(next, Sender, (table, _) => new RingChanged(table));
    }

    private void Write(RingInputs next, IActorRef replyTo, Func<RoutingTable, IReadOnlyList<ReplicaRoute>, object>? answer)
    {
        pending = new PendingWrite(next, replyTo, answer);
        var empty = new LWWRegister<RingInputs>(self, RingInputs.Empty, ReplicatedRingSettings.VersionClock);
        replicator.Tell(Dsl.Update(ReplicatedRingSettings.Key, empty, settings.WriteConsistency,
            register => register.WithValue(self, next, ReplicatedRingSettings.VersionClock)));
        Become(Writing);
    }

    /// <summary>Nobody waits for the broadcast of a written version: its answers say nothing new.</summary>
    private void IgnoreBroadcastAnswers() => Receive<IUpdateResponse>(response => response.Request is BroadcastWrite, _ => { });

    private void FinishWrite()
    {
        var write = pending!;
        pending = null;
        Broadcast(write.Inputs);
        var departed = Apply(write.Inputs);
        if (write.Answer is { } answer)
        {
            write.ReplyTo.Tell(answer(publisher.Current, departed));
        }

        Become(Ready);
        Stash.UnstashAll();
    }

    /// <summary>
    /// A majority write reaches only as many nodes as a majority needs; the rest would wait for gossip. The
    /// same version sent to all of them at once (nobody waits for it; a node that has it merges it as a no-op)
    /// makes every node agree within a round trip instead of a few gossip rounds.
    /// </summary>
    private void Broadcast(RingInputs inputs)
    {
        if (settings.WriteConsistency is WriteLocal)
        {
            return;
        }

        var empty = new LWWRegister<RingInputs>(self, RingInputs.Empty, ReplicatedRingSettings.VersionClock);
        replicator.Tell(Dsl.Update(ReplicatedRingSettings.Key, empty, new WriteAll(settings.WriteConsistency.Timeout), BroadcastWrite.Instance,
            register => register.Value.Version >= inputs.Version ? register : register.WithValue(self, inputs, ReplicatedRingSettings.VersionClock)));
    }

    private void FailWrite(Exception cause)
    {
        var write = pending!;
        pending = null;
        log.Error(cause, "Writing version {0} of the ring's inputs failed; nothing changed", write.Inputs.Version);
        if (write.Answer is not null)
        {
            write.ReplyTo.Tell(new Status.Failure(cause));
        }

        Become(Ready);
        Stash.UnstashAll();
    }

    private void ApplyNewer(RingInputs inputs)
    {
        if (inputs.Version > applied.Version)
        {
            Apply(inputs);
        }
    }

    /// <summary>Builds and publishes the table of <paramref name="inputs"/>; returns the routes of the replicas that left it.</summary>
    private IReadOnlyList<ReplicaRoute> Apply(RingInputs inputs)
    {
        IRouteSnapshot snapshot;
        try
        {
            snapshot = inputs.Build(emptyMap);
        }
        catch (Exception exception) when (exception is ArgumentException or RingFullException)
        {
            // Only a scheduler that checked the change writes it, so this is a bug: keep routing as before.
            log.Error(exception, "Version {0} of the ring's inputs does not build a table; keeping version {1}", inputs.Version, applied.Version);
            return [];
        }

        var departed = new List<ReplicaRoute>();
        foreach (var member in inputs.Members)
        {
            if (routes.TryGetValue(member.Hostname, out var route) && route.Address == member.Address)
            {
                continue;
            }

            if (route is not null)
            {
                Retire(route, departed);
            }

            routes[member.Hostname] = new ReplicaRoute(member.Hostname, member.Address, health);
            log.Info("Replica {0} is in the ring as server id {1} at {2} (version {3})", member.Hostname, member.ServerId, member.Address, inputs.Version);
        }

        foreach (var gone in routes.Keys.Where(hostname => !inputs.Contains(hostname)).ToArray())
        {
            routes.Remove(gone, out var route);
            Retire(route!, departed);
            log.Info("Replica {0} left the ring (version {1})", gone, inputs.Version);
        }

        applied = inputs;
        var table = new RoutingTable(snapshot, snapshot.Replicas.Select(hostname => routes[hostname]).ToArray()) { Version = inputs.Version };
        health.Budget.Replicas = table.Replicas.Count;
        publisher.Publish(table);
        return departed;
    }

    private static void Retire(ReplicaRoute route, List<ReplicaRoute> departed)
    {
        route.Health.Retire();
        departed.Add(route);
    }

    private sealed record BroadcastWrite
    {
        public static readonly BroadcastWrite Instance = new();
    }

    private sealed record PendingWrite(RingInputs Inputs, IActorRef ReplyTo, Func<RoutingTable, IReadOnlyList<ReplicaRoute>, object>? Answer);
}
