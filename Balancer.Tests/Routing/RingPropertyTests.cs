using Balancer.Actors.Routing;
using FsCheck.Xunit;

namespace Balancer.Tests.Routing;

public sealed class RingPropertyTests
{
    [Property(MaxTest = 200)]
    public bool EveryIdMapsToALiveReplica(int seed)
    {
        var map = RingScenario.Build(seed, RingScenario.PickConfiguration(seed));
        var live = map.Current.Replicas.ToHashSet();
        return RingScenario.SampleIds(seed).All(id => map.Current.Route(id) is { } owner && live.Contains(owner));
    }

    [Property(MaxTest = 200)]
    public bool RemovingAReplicaMovesOnlyTheIdsItOwned(int seed, int victimSeed)
    {
        var map = RingScenario.Build(seed, RingScenario.PickConfiguration(seed));
        if (map.Current.Replicas.Count < 2)
        {
            map.Add("extra");
        }

        var before = map.Current;
        var victim = before.Replicas[(int)((uint)victimSeed % before.Replicas.Count)];
        map.Remove(victim);
        var after = map.Current;

        return RingScenario.SampleIds(seed).All(id =>
            before.Route(id) == victim ? after.Route(id) != victim : after.Route(id) == before.Route(id));
    }

    [Property(MaxTest = 200)]
    public bool AddingAReplicaMovesIdsOnlyOntoIt(int seed)
    {
        var map = RingScenario.Build(seed, RingScenario.PickConfiguration(seed));
        var before = map.Current;
        map.Add("newcomer");
        var after = map.Current;

        return RingScenario.SampleIds(seed).All(id => after.Route(id) == before.Route(id) || after.Route(id) == "newcomer");
    }

    [Property(MaxTest = 100)]
    public bool TheSameSequenceOfChangesGivesTheSameMapping(int seed)
    {
        var options = RingScenario.PickConfiguration(seed);
        var first = RingScenario.Build(seed, options).Current;
        var second = RingScenario.Build(seed, options).Current;

        return first.VirtualServers.SequenceEqual(second.VirtualServers)
            && first.Replicas.SequenceEqual(second.Replicas)
            && RingScenario.SampleIds(seed).All(id => first.Route(id) == second.Route(id));
    }

    [Property(MaxTest = 300)]
    public bool ProbingFindsAFreeSlotWheneverOneExists(int seed)
    {
        var random = new Random(seed);
        var slots = random.Next(1, 80);
        var perReplica = random.Next(1, slots + 1);
        IHashFunctions hashes = random.Next(3) switch
        {
            0 => SpecHashFunctions.Instance,
            1 => Mix64HashFunctions.Instance,
            _ => new ConstantHashFunctions(random.Next(slots)),
        };
        var probing = random.Next(2) == 0 ? ProbingPolicy.Linear : ProbingPolicy.Quadratic;
        var map = new ConsistentHashMap(new RingOptions { Slots = slots, VirtualServersPerReplica = perReplica, Hashes = hashes, Probing = probing });

        var added = 0;
        while (true)
        {
            try
            {
                map.Add($"R{added}");
                added++;
            }
            catch (RingFullException)
            {
                // Full means full: the next replica's K virtual servers really did not fit.
                var distinctSlots = map.Current.VirtualServers.Select(v => v.Slot).Distinct().Count();
                return (added + 1) * perReplica > slots && distinctSlots == added * perReplica;
            }
        }
    }
}
