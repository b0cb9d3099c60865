using Balancer.Actors.Routing;
using Balancer.Actors.Supervision;

namespace Balancer.Web.Management;

/// <summary>A replica's state as operators see it: the supervisor's, except that routing may have ejected a serving one.</summary>
internal static class ReplicaStates
{
    public static ReplicaState Effective(ReplicaStatus status, ReplicaRoute? route) =>
        status.State == ReplicaState.Serving && route?.Health.IsEjected == true ? ReplicaState.Ejected : status.State;

    /// <summary>The label value: starting, serving, ejected, draining, spare.</summary>
    public static string Label(ReplicaState state) => state.ToString().ToLowerInvariant();
}
