using Akka.Actor;
using Akka.Hosting;
using Balancer.Actors.Supervision;

namespace Balancer.Web.Management;

/// <summary>/healthz (the process answers) and /readyz (the desired replicas serve), as plain text for probes.</summary>
internal static class HealthEndpoints
{
    /// <summary>A supervisor that does not answer within this is as good as not ready.</summary>
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    public static Task HealthzAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("ok\n");
    }

    public static async Task ReadyzAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested;
        var verdict = services.GetRequiredService<Readiness>().Judge(stopping ? null : await AskAsync(services, context.RequestAborted), stopping);
        context.Response.StatusCode = verdict.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync($"{(verdict.Ready ? "ready" : "not ready")}: {verdict.Reason}\n");
    }

    private static async Task<ReplicaStatusReport?> AskAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AskTimeout);
        try
        {
            var supervisor = await services.GetRequiredService<IRequiredActor<ReplicaSupervisor>>().GetAsync(timeout.Token);
            return await supervisor.Ask<ReplicaStatusReport>(GetReplicaStatus.Instance, AskTimeout, timeout.Token);
        }
        catch (Exception exception) when (exception is AskTimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
