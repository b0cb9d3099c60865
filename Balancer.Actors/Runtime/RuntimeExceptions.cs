namespace Balancer.Actors.Runtime;

/// <summary>A replica could not be started because its name is taken (by any process or container).</summary>
public sealed class ReplicaNameConflictException(string message) : Exception(message);

/// <summary>The runtime cannot start or stop replicas now (engine unreachable, image or binary missing).</summary>
public sealed class RuntimeUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
