using Balancer.Actors.Runtime.Docker;
using Docker.DotNet;

namespace Balancer.Tests.Docker;

/// <summary>Whether the Docker tests can run here: an engine answers and the replica image is built.</summary>
internal static class DockerEngine
{
    /// <summary>The replica image the tests run (docker/build-images.sh builds it under the same variable).</summary>
    public static string ReplicaImage { get; } =
        Environment.GetEnvironmentVariable("REPLICA_IMAGE") is { Length: > 0 } image ? image : DockerRuntimeOptions.DefaultImage;

    public static Uri Endpoint { get; } = DockerRuntimeOptions.DefaultEndpoint();

    public static bool Required => Environment.GetEnvironmentVariable("REQUIRE_DOCKER") is "1" or "true";

    /// <summary>Why the Docker tests cannot run, or null when they can; asked once per test run.</summary>
    public static string? UnavailableReason => unavailableReason.Value;

    private static readonly Lazy<string?> unavailableReason = new(Probe);

    public static DockerClient CreateClient() => new DockerClientBuilder().WithEndpoint(Endpoint).Build();

    private static string? Probe()
    {
        try
        {
            using var client = CreateClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            client.System.PingAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            return $"no Docker engine answers at {Endpoint} ({exception.Message}); set REQUIRE_DOCKER=1 to fail instead";
        }

        try
        {
            using var client = CreateClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            client.Images.InspectImageAsync(ReplicaImage, timeout.Token).GetAwaiter().GetResult();
        }
        catch (DockerApiException)
        {
            return $"the image {ReplicaImage} is missing (run docker/build-images.sh); set REQUIRE_DOCKER=1 to fail instead";
        }

        return null;
    }
}
