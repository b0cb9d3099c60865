using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Balancer.Web.Api;

/// <summary>The spec's two response shapes: a replica set on success, an "&lt;Error&gt; ..." message on failure.</summary>
internal static class ApiResults
{
    // The spec's messages contain '<', '>' and quotes; clients read them literally, not as \u003C escapes.
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ApiJsonContext.Default,
    };

    public static IResult ReplicaSet(IReadOnlyList<string> replicas) =>
        Results.Json(new ReplicaSetBody(new ReplicaSetMessage(replicas.Count, replicas), "successful"), Json);

    public static IResult Failure(int statusCode, string message) =>
        Results.Json(new FailureBody($"<Error> {message}", "failure"), Json, statusCode: statusCode);

    public static Task WriteFailureAsync(HttpContext context, int statusCode, string message) =>
        Failure(statusCode, message).ExecuteAsync(context);
}

internal sealed record ReplicaSetMessage(
    [property: JsonPropertyName("N")] int N,
    [property: JsonPropertyName("replicas")] IReadOnlyList<string> Replicas);

internal sealed record ReplicaSetBody(
    [property: JsonPropertyName("message")] ReplicaSetMessage Message,
    [property: JsonPropertyName("status")] string Status);

internal sealed record FailureBody(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("status")] string Status);

[JsonSerializable(typeof(ReplicaSetBody))]
[JsonSerializable(typeof(FailureBody))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
