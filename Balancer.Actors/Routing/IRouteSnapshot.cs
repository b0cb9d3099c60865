namespace Balancer.Actors.Routing;

/// <summary>An immutable view of a routing strategy, safe to read from any thread.</summary>
public interface IRouteSnapshot
{
    /// <summary>Hostnames in the order they joined.</summary>
    IReadOnlyList<string> Replicas { get; }

    /// <summary>The replica that serves a request id, or null when there is none. Never allocates.</summary>
    string? Route(long requestId);

    /// <summary>
    /// The index into <see cref="Replicas"/> of the replica that serves a request id, or -1 when there is
    /// none: what <see cref="RoutingTable"/> maps to its route objects. One hash and one array read.
    /// </summary>
    int RouteIndex(long requestId);

    /// <summary>
    /// Every replica once, in the order a failed request should try them: the routed replica first,
    /// then the next distinct replicas clockwise.
    /// </summary>
    IReadOnlyList<string> FailoverOrder(long requestId);

    /// <summary>
    /// The first <c>replicaIndexes.Length</c> entries of <see cref="FailoverOrder"/>, written as indexes
    /// into <see cref="Replicas"/>, without allocating (up to <see cref="DistinctWalk.StackReplicaLimit"/>
    /// replicas), so a per-request walk such as bounded loads stays free of garbage.
    /// </summary>
    /// <returns>How many indexes were written: fewer than the span holds when there are fewer replicas.</returns>
    int FillFailoverOrder(long requestId, Span<int> replicaIndexes);
}
