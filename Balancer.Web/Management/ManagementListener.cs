namespace Balancer.Web.Management;

/// <summary>
/// One host, two kinds of listener: Kestrel listens on the balancer's URLs and the management URLs, and a
/// request is a management request when it arrived on a management port. Such a request never reaches
/// routing, the admin API or the forwarder; every other request never sees a management endpoint (so
/// GET /metrics on port 5000 is forwarded like any replica path).
/// </summary>
internal static class ManagementListener
{
    public const string Section = "Balancer:Management";
    private const string DefaultBalancerUrls = "http://0.0.0.0:5000";

    /// <summary>Listens on the balancer's URLs (<c>--urls</c>, else port 5000 on every interface) and the management URLs.</summary>
    public static ManagementOptions ListenOnBalancerAndManagementUrls(this WebApplicationBuilder builder)
    {
        var management = builder.Configuration.GetSection(Section).Get<ManagementOptions>() ?? new ManagementOptions();
        var configured = builder.Configuration["urls"];
        var balancerUrls = string.IsNullOrEmpty(configured)
            ? [DefaultBalancerUrls]
            : configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        management.Validate(balancerUrls);
        builder.WebHost.UseUrls([.. balancerUrls, .. management.UrlList]);
        builder.Services.AddSingleton(management);
        return management;
    }

    /// <summary>Answers every request that arrived on a management port with the management endpoints, and nothing else.</summary>
    public static void UseManagementEndpoints(this WebApplication app)
    {
        var ports = app.Services.GetRequiredService<ManagementOptions>().Ports;
        app.MapWhen(context => ports.Contains(context.Connection.LocalPort), management =>
        {
            management.UseMetricsEndpoint();
            management.Use((context, next) => ManagementEndpoints.TryAnswerAsync(context) ?? next(context));
            management.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return context.Response.WriteAsync(
                    "Not a management endpoint: /status, /status.json, /metrics, /healthz, /readyz (the balancer's API is on its own port)\n");
            });
        });
    }

    private static void UseMetricsEndpoint(this IApplicationBuilder management) =>
        management.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == "/metrics");
}
