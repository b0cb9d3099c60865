using System.Diagnostics;
using Balancer.Web.Forwarding;

namespace Balancer.Web.Metrics;

/// <summary>Marks the catch-all route whose requests are forwarded to replicas.</summary>
internal sealed record ForwardedEndpoint
{
    public static readonly ForwardedEndpoint Instance = new();
}

/// <summary>Marks an admin endpoint with the name its series carry (rep, add, rm).</summary>
internal sealed record AdminEndpoint(string Name);

/// <summary>
/// Records each request to a marked endpoint once it is answered: forwarded ones by the replica the
/// forwarder tried last (the one that answered, unless none did) and their status class; admin ones by
/// endpoint and status. Lives outside the forwarder so the data path stays free of metrics code.
/// </summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, RequestMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var admin = endpoint?.Metadata.GetMetadata<AdminEndpoint>();
        if (admin is null && endpoint?.Metadata.GetMetadata<ForwardedEndpoint>() is null)
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            // An exception is answered by the exception handler further out, with a 500.
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            if (admin is not null)
            {
                metrics.RecordAdmin(admin.Name, status);
            }
            else
            {
                metrics.RecordForwarded(context.Items[ReplicaResponseTransformer.ReplicaItem] as string, status,
                    Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }
    }
}
