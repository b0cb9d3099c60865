using Akka.Actor;

namespace Balancer.Actors.Supervision;

/// <summary>
/// The supervisor's record of its replicas (in the set, joining it or leaving it, and the warm spares beside
/// it): names compared without case, the order they were started in, and the names and victims of new requests.
/// </summary>
internal sealed class ReplicaRegistry(Random random)
{
    private readonly Dictionary<string, ReplicaEntry> entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<string> preferredNames = new();

    /// <summary>
    /// Replicas gone from the set whose actors still clean up (stop a dead process, remove a container): their
    /// names stay taken until the actor has ended, so a name never runs twice at once.
    /// </summary>
    private readonly Dictionary<IActorRef, string> ending = [];
    private long nextSequence;
    private int nextBatch;

    public IReadOnlyCollection<ReplicaEntry> All => entries.Values;

    /// <summary>N: the size the set is kept at.</summary>
    public int Desired { get; set; }

    /// <summary>How many replicas must start for the set to have its desired size.</summary>
    public int Missing => Desired - CountedCount;

    public int CountedCount => entries.Values.Count(entry => entry.IsCounted);

    /// <summary>How many warm spares are kept beside the set (the configured number).</summary>
    public int DesiredSpares { get; set; }

    /// <summary>How many spares must start for the spares to be complete.</summary>
    public int MissingSpares => DesiredSpares - entries.Values.Count(entry => entry.IsCountedSpare);

    /// <summary>Spares that serve and may be promoted now, the oldest first (it has been heartbeated longest).</summary>
    public IReadOnlyList<ReplicaEntry> ReadySpares() =>
        entries.Values.Where(entry => entry.IsReadySpare).OrderBy(entry => entry.Sequence).ToArray();

    /// <summary>Spares still starting, the oldest first: the next best thing to a ready one when a replica dies.</summary>
    public IReadOnlyList<ReplicaEntry> StartingSpares() =>
        entries.Values.Where(entry => entry.IsSpare && entry.Phase == ReplicaPhase.Starting).OrderBy(entry => entry.Sequence).ToArray();

    public int ListedCount => entries.Values.Count(entry => entry.IsListed);

    /// <summary>Unique among the replicas' actor names: a replica started again under its old name gets a new one.</summary>
    public string NextActorName(string hostname) => $"replica-{hostname}-{nextSequence}";

    /// <summary>Replicas started together (one batch) join the ring in the order they were started.</summary>
    public int NewBatch() => nextBatch++;

    public ReplicaEntry Add(string hostname, IActorRef actor, int batch, AdminTransaction? transaction)
    {
        var entry = new ReplicaEntry(hostname, actor, nextSequence++, batch, transaction);
        entries[hostname] = entry;
        return entry;
    }

    public ReplicaEntry this[string hostname] => entries[hostname];

    public bool TryGet(string hostname, out ReplicaEntry entry) => entries.TryGetValue(hostname, out entry!);

    /// <summary>Whether the name is taken: by a replica of the set, or by one whose actor is still ending.</summary>
    public bool Contains(string hostname) =>
        entries.ContainsKey(hostname) || ending.Values.Contains(hostname, StringComparer.OrdinalIgnoreCase);

    public bool IsListed(string hostname) => entries.TryGetValue(hostname, out var entry) && entry.IsListed;

    /// <summary>Takes a replica out; its name stays taken until <see cref="Ended"/> says its actor is gone.</summary>
    public void Remove(string hostname)
    {
        if (entries.Remove(hostname, out var entry))
        {
            ending[entry.Actor] = entry.Hostname;
        }
    }

    /// <summary>A replica actor ended: true when it was one gone from the set, whose name is free now.</summary>
    public bool Ended(IActorRef actor) => ending.Remove(actor);

    private IEnumerable<string> TakenNames => entries.Keys.Concat(ending.Values);

    public void Clear() => entries.Clear();

    /// <summary>Takes the replicas of an /rm out of the set: not listed, not counted, so not replaced either.</summary>
    public void Retire(IReadOnlyList<string> hostnames, AdminTransaction remove)
    {
        Desired -= hostnames.Count;
        foreach (var entry in hostnames.Select(hostname => entries[hostname]))
        {
            entry.Phase = ReplicaPhase.Stopping;
            entry.Transaction = remove;
        }
    }

    /// <summary>Puts the replicas of an /add into the set; the caller marks them serving.</summary>
    public IReadOnlyList<ReplicaEntry> Admit(IReadOnlyList<string> hostnames)
    {
        Desired += hostnames.Count;
        var admitted = hostnames.Select(hostname => entries[hostname]).ToArray();
        foreach (var entry in admitted)
        {
            entry.Transaction = null;
        }

        return admitted;
    }

    /// <summary>Marks these replicas (those still here) as stopping and returns them, to be told to stop.</summary>
    public IReadOnlyList<ReplicaEntry> Stopping(IEnumerable<string> hostnames)
    {
        var stopping = hostnames.Where(entries.ContainsKey).Select(hostname => entries[hostname]).ToArray();
        foreach (var entry in stopping)
        {
            entry.Phase = ReplicaPhase.Stopping;
        }

        return stopping;
    }

    /// <summary>Names to give the first replicas that start, in order; those already taken are skipped.</summary>
    public void Prefer(IEnumerable<string> names)
    {
        foreach (var name in names.Where(name => !entries.ContainsKey(name)))
        {
            preferredNames.Enqueue(name);
        }
    }

    /// <summary>
    /// The configured names are for the first replicas only: one left over (adopted replicas filled the set)
    /// must not name a later replacement, or a name /rm removed could come back.
    /// </summary>
    public void ForgetPreferred() => preferredNames.Clear();

    /// <summary>Names for replacements: the next preferred ones still free, then random ones.</summary>
    public IReadOnlyList<string> ReplacementNames(int count)
    {
        var names = new List<string>();
        while (names.Count < count)
        {
            names.Add(NextPreferredName(names) ?? ReplicaNames.RandomExcept(TakenNames.Concat(names), random));
        }

        return names;
    }

    /// <summary>Names for new spares: always random ones, so the configured names stay for the set's first replicas.</summary>
    public IReadOnlyList<string> SpareNames(int count)
    {
        var names = new List<string>();
        while (names.Count < count)
        {
            names.Add(ReplicaNames.RandomExcept(TakenNames.Concat(preferredNames).Concat(names), random));
        }

        return names;
    }

    private string? NextPreferredName(List<string> alsoTaken)
    {
        while (preferredNames.TryDequeue(out var preferred))
        {
            if (!Contains(preferred) && !alsoTaken.Contains(preferred, StringComparer.OrdinalIgnoreCase))
            {
                return preferred;
            }
        }

        return null;
    }

    /// <summary>
    /// The replicas of an accepted /add: ready spares for its unnamed replicas first (they keep their own
    /// names), then new ones to start: the names asked for, then random ones up to n. A spare cannot serve a
    /// named replica: a replica's name is its identity (SERVER_ID, a container's name), fixed at its start.
    /// </summary>
    public AddPlan PlanFor(AddReplicas request)
    {
        var spares = ReadySpares().Take(request.Count - request.Hostnames.Count).ToArray();
        var names = new List<string>(request.Hostnames);
        while (names.Count + spares.Length < request.Count)
        {
            names.Add(ReplicaNames.RandomExcept(TakenNames.Concat(names), random));
        }

        return new AddPlan(names, spares);
    }

    /// <summary>The victims of an accepted /rm: the ones asked for (spelled as in the set), then random listed ones up to n.</summary>
    public IReadOnlyList<string> VictimsOf(RemoveReplicas request)
    {
        var victims = new List<string>(request.Hostnames.Select(name => entries[name].Hostname));
        var candidates = entries.Values
            .Where(entry => entry.IsListed && !victims.Contains(entry.Hostname, StringComparer.OrdinalIgnoreCase))
            .Select(entry => entry.Hostname)
            .ToArray();
        random.Shuffle(candidates);
        victims.AddRange(candidates.Take(request.Count - victims.Count));
        return victims;
    }

    /// <summary>
    /// Replicas that serve and may join the ring now: those of their batch started before them all serve too.
    /// The ring gives server ids in join order, so S1, S2, S3 get ids 1, 2, 3 whichever answers first.
    /// </summary>
    public IReadOnlyList<ReplicaEntry> ReadyToJoin()
    {
        var waiting = entries.Values
            .Where(entry => entry.Transaction is null && entry.Phase == ReplicaPhase.Starting && !entry.IsSpare)
            .OrderBy(entry => entry.Sequence)
            .ToArray();
        return waiting
            .Where(entry => entry.HasServed && !waiting.Any(other =>
                other.Batch == entry.Batch && other.Sequence < entry.Sequence && !other.HasServed))
            .ToArray();
    }

    /// <summary>What /rep lists: the replicas in the set, in the order they joined.</summary>
    public ReplicaSet ListedSet() =>
        new(entries.Values.Where(entry => entry.IsListed).OrderBy(entry => entry.ListOrder).Select(entry => entry.Hostname).ToArray());

    /// <summary>A spare taken into the set joins after every replica there: /rep lists it last.</summary>
    public void ListLast(ReplicaEntry spare) => spare.ListOrder = nextSequence++;
}

/// <summary>What an accepted /add uses: replicas to start and ready spares to take, together n.</summary>
internal sealed record AddPlan(IReadOnlyList<string> Starts, IReadOnlyList<ReplicaEntry> Spares);
