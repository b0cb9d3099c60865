using System.Runtime.InteropServices;

namespace ReplicaServer;

/// <summary>
/// The host lifetime of a replica that a balancer started (<c>EXIT_WHEN_STDIN_CLOSES=true</c>, or the orphan
/// rule of <see cref="OrphanWatch"/>). A Ctrl-C in the balancer's terminal reaches every process in its group;
/// the replica ignores it and leaves the order of shutdown to the balancer (which stops supervising first and
/// then closes the replica's input) or, in cluster mode, to whoever stops it by PID. SIGTERM still stops it at once.
/// </summary>
internal sealed class ManagedReplicaLifetime(IHostApplicationLifetime lifetime, ILogger<ManagedReplicaLifetime> logger)
    : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> registrations = [];

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            logger.LogInformation("Ignoring SIGINT: the balancer that started this replica decides when it stops.");
        }));
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop));
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        lifetime.StopApplication();
    }
}
