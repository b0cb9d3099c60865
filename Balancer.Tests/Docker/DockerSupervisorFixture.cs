using Akka.Actor;
using Balancer.Actors.Runtime.Docker;
using Balancer.Actors.Supervision;
using Balancer.Tests.Supervision;
using Balancer.Tests.Support;

namespace Balancer.Tests.Docker;

/// <summary>
/// The balancer's actors (ring and supervisor) in an actor system of their own, with the Docker
/// runtime of a test's scope: what the balancer process runs, minus HTTP. A test makes a second one
/// with the same instance id to play a restarted balancer.
/// </summary>
internal sealed class DockerSupervisorFixture : IAsyncDisposable
{
    private static readonly HeartbeatOptions Heartbeats = new()
    {
        Interval = TimeSpan.FromMilliseconds(200),
        Timeout = TimeSpan.FromMilliseconds(500),
        MissesBeforeDead = 3,
        StartTimeout = TimeSpan.FromSeconds(30),
    };

    private readonly ActorSystem system;
    private readonly HttpReplicaProbe probe = new();

    public DockerSupervisorFixture(DockerScope scope, IReadOnlyList<string> names, int spares = 0)
    {
        system = ActorSystem.Create("docker-supervision");
        Runtime = scope.Runtime();
        Harness = new SupervisorHarness(system, Runtime, probe, new SupervisorOptions
        {
            ReplicaSet = new ReplicaSetOptions { Replicas = names.Count, ReplicaNames = names, Spares = spares },
            Heartbeat = Heartbeats,
            // As the balancer runs the Docker runtime: containers outlive it, for the next one to adopt.
            StopReplicasOnShutdown = false,
        });
    }

    public DockerReplicaRuntime Runtime { get; }

    public SupervisorHarness Harness { get; }

    /// <summary>Waits until the ring holds <paramref name="count"/> serving replicas.</summary>
    public Task<bool> RingHoldsAsync(int count) =>
        Eventually.HoldsAsync(() => Task.FromResult(Harness.RingReplicas.Count == count), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));

    /// <summary>Stops supervising and the actor system, leaving the containers running (a balancer going away).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!system.WhenTerminated.IsCompleted)
        {
            await Harness.Supervisor.Ask<ReplicasShutDown>(ShutDownReplicas.Instance, TimeSpan.FromSeconds(20));
            await system.Terminate();
        }

        probe.Dispose();
    }
}
