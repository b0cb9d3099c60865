using System.Diagnostics;
using System.Reflection;

namespace Balancer.Tests.Docker.Deploy;

/// <summary>Runs docker/deploy.sh and docker/down.sh, what `make deploy` and `make down` run, with a stack's settings.</summary>
internal static class DeployScripts
{
    private static readonly TimeSpan ScriptLimit = TimeSpan.FromMinutes(3);

    private static string RepositoryRoot { get; } = typeof(DeployScripts).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "RepositoryRoot").Value!;

    /// <summary>Runs a script to its end; returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot, "docker", script)])
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"bash {script} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(ScriptLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
