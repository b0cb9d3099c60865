using Balancer.Actors.Routing;
using FsCheck.Xunit;

namespace Balancer.Tests.Routing;

/// <summary>Probing on its own; the ring's routing properties are checked for every strategy in StrategyPropertyTests.</summary>
public sealed class ProbingPropertyTests
{
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
