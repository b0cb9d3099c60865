using Docker.DotNet;

namespace Balancer.Actors.Runtime.Docker;

/// <summary>Builds the one long-lived engine client a runtime keeps for its whole life.</summary>
internal static class DockerClientFactory
{
    public static DockerClient Create(DockerRuntimeOptions options)
    {
        // No client-wide timeout: it would also cut the event stream, which is meant to stay open.
        // Every other call gets its own deadline from DockerCall instead.
        var builder = new DockerClientBuilder().WithEndpoint(options.Endpoint);
        if (options.ApiVersion is { } version)
        {
            builder = builder.WithApiVersion(version);
        }

        return builder.Build();
    }
}
