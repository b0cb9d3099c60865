namespace Balancer.Actors.Routing;

/// <summary>How a virtual server whose slot is taken looks for another.</summary>
public enum ProbingPolicy
{
    /// <summary>Offsets +1, +2, +3, ... from the hashed slot.</summary>
    Linear,

    /// <summary>
    /// Triangular offsets +1, +3, +6, ... (t(t+1)/2), which visit every slot when the slot count is a
    /// power of two. For other slot counts a linear sweep follows, so a free slot is always found.
    /// </summary>
    Quadratic,
}
