namespace ReplicaServer;

/// <summary>
/// When started with <c>EXIT_WHEN_STDIN_CLOSES=true</c>, stops the replica as soon as its standard
/// input reaches end of file. The balancer holds the write end of that pipe, and the kernel closes it
/// however the balancer ends (even SIGKILL), so a replica never outlives the balancer that started it.
/// </summary>
internal sealed class ParentWatch(IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<ParentWatch> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetValue("EXIT_WHEN_STDIN_CLOSES", false))
        {
            // A read on stdin blocks its thread and ignores cancellation, so it gets a background
            // thread of its own that never delays shutdown.
            new Thread(WaitForEndOfInput) { IsBackground = true, Name = "parent-watch" }.Start();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void WaitForEndOfInput()
    {
        using var stdin = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (stdin.Read(buffer, 0, buffer.Length) > 0)
        {
            // Anything written is ignored: only the end of the stream matters.
        }

        logger.LogWarning("Standard input closed: the balancer that started this replica is gone, stopping.");
        lifetime.StopApplication();
    }
}
