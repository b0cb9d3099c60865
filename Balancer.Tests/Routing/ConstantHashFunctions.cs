using Balancer.Actors.Routing;

namespace Balancer.Tests.Routing;

/// <summary>Sends every virtual server to one slot, so tests can watch probing alone.</summary>
internal sealed class ConstantHashFunctions(int virtualServerSlot) : IHashFunctions
{
    public string Name => "constant";

    public int RequestSlot(long requestId, int slots) => (int)(((requestId % slots) + slots) % slots);

    public int VirtualServerSlot(int serverId, int virtualIndex, int slots) => virtualServerSlot % slots;
}
