namespace Balancer.Actors.Routing.Health;

/// <summary>Why the data path took a replica out of routing.</summary>
public enum EjectionCause
{
    /// <summary>Attempts got no answer: connection refused or reset, or the attempt timed out.</summary>
    NoAnswer,

    /// <summary>Attempts were answered with server errors (5xx).</summary>
    ErrorResponses,
}
