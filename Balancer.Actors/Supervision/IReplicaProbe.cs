using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

/// <summary>Asks a replica whether it serves (a heartbeat).</summary>
public interface IReplicaProbe
{
    /// <summary>True for a good heartbeat; false or an exception for a missed one.</summary>
    Task<bool> IsServingAsync(RunningReplica replica, TimeSpan timeout);
}
