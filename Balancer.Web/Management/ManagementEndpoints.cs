namespace Balancer.Web.Management;

/// <summary>The management endpoints besides /metrics (the exporter's own middleware), by exact path, GET only.</summary>
internal static class ManagementEndpoints
{
    /// <summary>The answer to a management request, or null when its path is none of these.</summary>
    public static Task? TryAnswerAsync(HttpContext context)
    {
        Func<HttpContext, Task>? endpoint = context.Request.Path.Value switch
        {
            "/healthz" => HealthEndpoints.HealthzAsync,
            "/readyz" => HealthEndpoints.ReadyzAsync,
            "/status" or "/status/" => StatusEndpoints.PageAsync,
            "/status.json" => StatusEndpoints.JsonAsync,
            _ => null,
        };
        if (endpoint is null)
        {
            return null;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            return Task.CompletedTask;
        }

        // Live data: a proxy or browser cache in between must not answer for the balancer.
        context.Response.Headers.CacheControl = "no-store";
        return endpoint(context);
    }
}
