using Balancer.Actors.Runtime;
using Balancer.Actors.Runtime.Docker;

namespace Balancer.Web.Hosting;

/// <summary>
/// Before the supervisor adopts this balancer's running containers, removes its exited ones, so their
/// names are free for replacements. Registered ahead of the actor system, so it runs first. In cluster mode
/// it does nothing: a node joining a running cluster must not remove a container the scheduler on another
/// node is creating (a created container is not running yet), so the scheduler's own listing cleans up
/// (<see cref="DockerRuntimeOptions.RemoveExitedBeforeListing"/>).
/// </summary>
internal sealed class DockerStartupCleanup(IReplicaRuntime runtime, ILogger<DockerStartupCleanup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (runtime is not DockerReplicaRuntime docker || docker.Options.RemoveExitedBeforeListing)
        {
            return;
        }

        try
        {
            var removed = await docker.RemoveExitedAsync(cancellationToken);
            if (removed.Count > 0)
            {
                logger.LogInformation("Removed exited replica containers {Hostnames}", string.Join(", ", removed));
            }
        }
        catch (RuntimeUnavailableException exception)
        {
            // The supervisor retries with backoff; an engine that is down now must not stop the balancer.
            logger.LogError(exception, "Could not clean up exited containers");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
