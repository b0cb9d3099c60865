using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Balancer.Tests.Docker;

/// <summary>Container helpers shared by the runtime tests' scope and the deployed stack.</summary>
internal static class TestContainers
{
    /// <summary>
    /// Creates and starts a container without the balancer's labels on <paramref name="network"/>, as a
    /// user's own would be; only the test label marks it, for clean-up.
    /// </summary>
    public static async Task<string> StartForeignContainerAsync(this DockerClient client, string name, string network, string testInstance)
    {
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = DockerEngine.ReplicaImage,
            Env = [$"SERVER_ID={name}"],
            Labels = new Dictionary<string, string> { [DockerScope.TestLabel] = testInstance },
            HostConfig = new HostConfig { NetworkMode = network },
        });
        await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }

    public static async Task<ContainerInspectResponse?> InspectOrNullAsync(this DockerClient client, string nameOrId)
    {
        try
        {
            return await client.Containers.InspectContainerAsync(nameOrId);
        }
        catch (DockerApiException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
