namespace Balancer.Actors.Routing;

/// <summary>Thrown when a replica's virtual servers no longer fit in the ring's free slots.</summary>
public sealed class RingFullException(string message) : InvalidOperationException(message);
