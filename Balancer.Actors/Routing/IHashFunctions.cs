namespace Balancer.Actors.Routing;

/// <summary>
/// The pair of hash functions a ring uses: H places a request id on a slot, Φ places virtual server
/// j of server i. Both return a slot in [0, slots), exactly, for every input.
/// </summary>
public interface IHashFunctions
{
    /// <summary>The name configuration selects this pair by.</summary>
    string Name { get; }

    int RequestSlot(long requestId, int slots);

    int VirtualServerSlot(int serverId, int virtualIndex, int slots);
}
