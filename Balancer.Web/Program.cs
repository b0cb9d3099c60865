using Balancer.Web.Api;
using Balancer.Web.Forwarding;
using Balancer.Web.Hosting;

// The content root is the binary's folder, so appsettings.json is found from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://0.0.0.0:5000");
}

builder.Services.AddBalancer(builder.Configuration);

var app = builder.Build();
// Whatever fails unexpectedly still answers in the spec's error shape, never an empty 500.
app.UseExceptionHandler(failed => failed.Run(context =>
    ApiResults.WriteFailureAsync(context, StatusCodes.Status500InternalServerError, "The balancer failed to handle the request")));
app.MapAdminEndpoints();
var forwarder = app.Services.GetRequiredService<ReplicaForwarder>();
app.Map("/{**path}", forwarder.ForwardAsync);
app.Run();
