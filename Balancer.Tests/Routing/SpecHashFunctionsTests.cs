using System.Numerics;
using Balancer.Actors.Routing;
using FsCheck.Xunit;

namespace Balancer.Tests.Routing;

public sealed class SpecHashFunctionsTests
{
    private static readonly SpecHashFunctions Spec = SpecHashFunctions.Instance;

    [Theory]
    [InlineData(1, 0, 26)]
    [InlineData(1, 1, 29)]
    [InlineData(2, 0, 29)]
    [InlineData(2, 1, 32)]
    [InlineData(3, 8, 114)]
    public void VirtualServerSlotIsPhiModM(int serverId, int virtualIndex, int expected) =>
        Assert.Equal(expected, Spec.VirtualServerSlot(serverId, virtualIndex, 512));

    [Theory]
    [InlineData(0, 17)]
    [InlineData(3, 32)]
    [InlineData(10, 137)]
    [InlineData(132574, (132574L * 132574 + 2 * 132574 + 17) % 512)]
    [InlineData(-1, 16)] // -1 ≡ 511: 1 - 2 + 17
    public void RequestSlotIsHModM(long requestId, long expected) =>
        Assert.Equal(expected, Spec.RequestSlot(requestId, 512));

    [Property(MaxTest = 500)]
    public bool RequestSlotIsExactForAnyIdAndSlotCount(long requestId, int slotSeed)
    {
        var slots = 1 + (int)((uint)slotSeed % (1 << 22));
        var i = new BigInteger(requestId);
        var expected = BigInteger.Remainder(i * i + 2 * i + 17, slots);
        if (expected < 0)
        {
            expected += slots;
        }

        return Spec.RequestSlot(requestId, slots) == (int)expected;
    }

    [Property(MaxTest = 500)]
    public bool VirtualServerSlotIsExactForAnyServerAndSlotCount(int serverId, int virtualIndex, int slotSeed)
    {
        var slots = 1 + (int)((uint)slotSeed % (1 << 22));
        BigInteger i = serverId, j = virtualIndex;
        var expected = BigInteger.Remainder(i * i + j * j + 2 * j + 25, slots);
        if (expected < 0)
        {
            expected += slots;
        }

        return Spec.VirtualServerSlot(serverId, virtualIndex, slots) == (int)expected;
    }

    [Property(MaxTest = 500)]
    public bool Mix64SlotsStayInRange(long requestId, int serverId, int virtualIndex, int slotSeed)
    {
        var slots = 1 + (int)((uint)slotSeed % (1 << 22));
        var hashes = Mix64HashFunctions.Instance;
        var requestSlot = hashes.RequestSlot(requestId, slots);
        var serverSlot = hashes.VirtualServerSlot(serverId, virtualIndex, slots);
        return requestSlot >= 0 && requestSlot < slots && serverSlot >= 0 && serverSlot < slots;
    }

    [Fact]
    public void CatalogFindsPairsByNameAndRejectsUnknownOnes()
    {
        Assert.Same(SpecHashFunctions.Instance, HashFunctionCatalog.Get("spec"));
        Assert.Same(Mix64HashFunctions.Instance, HashFunctionCatalog.Get("MIX64"));
        var error = Assert.Throws<ArgumentException>(() => HashFunctionCatalog.Get("md5"));
        Assert.Contains("spec", error.Message);
    }
}
