using Microsoft.Extensions.Configuration.Json;
using ReplicaServer;

// The content root is pinned to the binary's folder so a replica started from any working
// directory behaves the same; logging is configured in code for the same reason (no appsettings).
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

// The process runtime starts the copy of the replica that sits next to the balancer, so the folder's
// appsettings.json is the balancer's: the replica takes its settings from the environment alone.
foreach (var jsonSource in builder.Configuration.Sources.OfType<JsonConfigurationSource>().ToList())
{
    builder.Configuration.Sources.Remove(jsonSource);
}

builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

ReplicaListenAddress.Apply(builder);
builder.Services.AddHostedService<ParentWatch>();
// Cluster mode: the replica outlives the node that started it and ends when no node heartbeats it any more.
var orphanRule = OrphanWatch.From(builder.Configuration);
if (orphanRule is not null)
{
    builder.Services.AddSingleton(orphanRule);
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddSingleton<OrphanWatch>();
    builder.Services.AddHostedService(provider => provider.GetRequiredService<OrphanWatch>());
}

// Started by a balancer (either rule): the balancer, or make cluster, decides when it stops, not a terminal's Ctrl-C.
if (builder.Configuration.GetValue("EXIT_WHEN_STDIN_CLOSES", false) || orphanRule is not null)
{
    builder.Services.AddSingleton<IHostLifetime, ManagedReplicaLifetime>();
}
builder.Services.ConfigureHttpJsonOptions(options =>
    options.SerializerOptions.TypeInfoResolverChain.Insert(0, ReplicaJsonContext.Default));

var app = builder.Build();
var serverId = app.Configuration["SERVER_ID"] ?? "unknown";
var homeReply = new HomeReply($"Hello from Server: {serverId}", "successful");

app.MapGet("/home", () => Results.Json(homeReply, ReplicaJsonContext.Default.HomeReply));
var orphanWatch = app.Services.GetService<OrphanWatch>();
app.MapGet("/heartbeat", () =>
{
    orphanWatch?.Heartbeat();
    return Results.Ok();
});

app.Run();
