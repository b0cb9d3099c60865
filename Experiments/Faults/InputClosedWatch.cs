using Microsoft.Extensions.Hosting;

namespace Experiments.Faults;

/// <summary>
/// The process runtime's stop signal, honoured as ReplicaServer honours it: with
/// <c>EXIT_WHEN_STDIN_CLOSES=true</c> the replica stops once its standard input reaches its end, which is
/// how the balancer stops a replica (and how a replica notices that the balancer is gone).
/// </summary>
internal sealed class InputClosedWatch(IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A read on stdin blocks its thread and ignores cancellation: a background thread of its own.
        new Thread(WaitForEndOfInput) { IsBackground = true, Name = "input-closed-watch" }.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void WaitForEndOfInput()
    {
        using var stdin = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (stdin.Read(buffer, 0, buffer.Length) > 0)
        {
            // Only the end of the stream matters.
        }

        lifetime.StopApplication();
    }
}
