using Balancer.Web.Api;
using Balancer.Web.Forwarding;
using Balancer.Web.Hosting;
using Balancer.Web.Logging;
using Balancer.Web.Management;
using Balancer.Web.Metrics;

if (args is [ReadinessProbe.Argument, var probed])
{
    return await ReadinessProbe.RunAsync(probed);
}

// The content root is the binary's folder, so appsettings.json is found from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

// The spec's port (5000 unless --urls says otherwise) and the management port (8404) of Balancer:Management:Urls.
builder.ListenOnBalancerAndManagementUrls();

builder.Services.AddBalancer(builder.Configuration);
builder.Logging.WithoutPerRequestHostingDiagnostics(builder.Configuration);

var app = builder.Build();
app.Services.CreateInstruments();
// Whatever fails unexpectedly still answers in the spec's error shape, never an empty 500.
app.UseExceptionHandler(failed => failed.Run(context =>
    ApiResults.WriteFailureAsync(context, StatusCodes.Status500InternalServerError, "The balancer failed to handle the request")));
// Requests on the management port end here; the rest go on to the admin API and the forwarder.
app.UseManagementEndpoints();
app.UseRouting();
app.UseMiddleware<RequestMetricsMiddleware>();
app.MapAdminEndpoints();
var forwarder = app.Services.GetRequiredService<ReplicaForwarder>();
app.Map("/{**path}", forwarder.ForwardAsync).WithMetadata(ForwardedEndpoint.Instance);
await app.RunAsync();
return 0;
