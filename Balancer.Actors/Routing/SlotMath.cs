namespace Balancer.Actors.Routing;

internal static class SlotMath
{
    /// <summary>value mod modulus as a value in [0, modulus), also for negative values.</summary>
    public static long Reduce(long value, int modulus)
    {
        var remainder = value % modulus;
        return remainder < 0 ? remainder + modulus : remainder;
    }
}
