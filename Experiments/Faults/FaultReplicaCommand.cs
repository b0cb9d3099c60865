using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Experiments.Faults;

/// <summary>
/// <c>fault-replica &lt;500|hang&gt;</c>: a tiny replica that passes every heartbeat and fails every other
/// request, for the health experiments and tests. The balancer's process runtime starts it like any
/// replica (through a launcher at <c>Balancer:ReplicaServerPath</c>): it listens on
/// <c>ASPNETCORE_URLS</c>, names itself <c>SERVER_ID</c>, and stops when its standard input closes.
/// ReplicaServer itself has no fault switches.
/// </summary>
internal static class FaultReplicaCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (FaultReplicaOptions.Parse(args, out var error) is not { } options)
        {
            Console.Error.WriteLine($"{error}\n{FaultReplicaOptions.Usage}");
            return 2;
        }

        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
        {
            // Kestrel's default would be port 5000, the product's own.
            Console.Error.WriteLine($"ASPNETCORE_URLS is not set\n{FaultReplicaOptions.Usage}");
            return 2;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        // Next to the tests or the experiments sits somebody's appsettings.json: settings come from the environment only.
        foreach (var jsonSource in builder.Configuration.Sources.OfType<JsonConfigurationSource>().ToList())
        {
            builder.Configuration.Sources.Remove(jsonSource);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (builder.Configuration.GetValue("EXIT_WHEN_STDIN_CLOSES", false))
        {
            builder.Services.AddHostedService<InputClosedWatch>();
        }

        await using var app = builder.Build();
        using var log = options.LogPath is null ? null : new FaultLog(options.LogPath);
        var serverId = app.Configuration["SERVER_ID"] ?? "unknown";

        app.MapGet("/heartbeat", () => Results.Ok());
        app.Map("/{**path}", async (HttpContext context) =>
        {
            log?.Record(context.Request.Path);
            if (options.Mode == FaultMode.Hang)
            {
                // Holds the request until the caller gives up (the balancer's attempt timeout) or the replica stops.
                using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, app.Lifetime.ApplicationStopping);
                await Task.Delay(Timeout.InfiniteTimeSpan, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.Empty;
            }

            return Results.Json(new { message = $"<Error> fault replica {serverId} fails every request", status = "failure" },
                statusCode: StatusCodes.Status500InternalServerError);
        });

        await app.RunAsync();
        return 0;
    }
}
