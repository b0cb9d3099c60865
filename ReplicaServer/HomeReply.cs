using System.Text.Json.Serialization;

namespace ReplicaServer;

public sealed record HomeReply(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("status")] string Status);

[JsonSerializable(typeof(HomeReply))]
internal sealed partial class ReplicaJsonContext : JsonSerializerContext;
