using System.Text.Json;

namespace Experiments.Live;

/// <summary>An answer of the balancer as it came, and the replica that served it.</summary>
/// <param name="Replica">
/// The name in a replica's "Hello from Server: X", else the balancer's X-Replica header, else null
/// (the balancer answered itself: /rep, /add, /rm, an error).
/// </param>
public sealed record ApiResponse(int Status, string Body, string? Replica)
{
    /// <summary>The body as JSON; every answer of the API is JSON.</summary>
    public JsonElement Json => JsonSerializer.Deserialize<JsonElement>(Body);
}

/// <summary>/rep's message: N and the serving replicas, in the order they joined.</summary>
public sealed record ReplicaListing(int N, IReadOnlyList<string> Replicas);
