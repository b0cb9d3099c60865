using System.Collections.Concurrent;
using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using Balancer.Web.Forwarding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Balancer.Tests.Forwarding;

/// <summary>
/// The balancer's forwarder in-process on loopback Kestrel, in front of small fake replicas (one request
/// handler each) in a spec ring of S1..Sn, so a test chooses exactly how each replica answers.
/// </summary>
internal sealed class ForwarderUnderTest : IAsyncDisposable
{
    private readonly List<WebApplication> apps = [];
    private ReplicaForwarder? forwarder;
    private RoutingTablePublisher? publisher;

    private ForwarderUnderTest(HealthOptions health, ForwardingOptions forwarding)
    {
        Policy = new ReplicaHealthPolicy(health, forwarding.AttemptTimeout);
    }

    public ReplicaHealthPolicy Policy { get; }

    public RoutingTable Table { get; private set; } = null!;

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Requests each replica received, by hostname.</summary>
    public ConcurrentDictionary<string, int> Received { get; } = new();

    /// <summary>What the forwarder reported to the relay.</summary>
    public ConcurrentQueue<string> Events { get; } = new();

    public static async Task<ForwarderUnderTest> StartAsync(HealthOptions health, ForwardingOptions forwarding,
        params Func<HttpContext, Task>[] replicas)
    {
        var test = new ForwarderUnderTest(health, forwarding);
        var routes = new List<ReplicaRoute>();
        var map = new ConsistentHashMap();
        for (var i = 0; i < replicas.Length; i++)
        {
            var hostname = $"S{i + 1}";
            var handler = replicas[i];
            var replica = await test.StartAppAsync(_ => { }, app => app.Run(context =>
            {
                test.Received.AddOrUpdate(hostname, 1, (_, count) => count + 1);
                return handler(context);
            }));
            map.Add(hostname);
            routes.Add(new ReplicaRoute(hostname, new Uri(replica.Urls.First()), test.Policy));
        }

        await test.StartBalancerAsync(map, routes, forwarding);
        return test;
    }

    /// <summary>The forwarder in front of replicas that listen already (raw sockets a test scripts byte by byte), named S1..Sn.</summary>
    public static async Task<ForwarderUnderTest> StartAsync(HealthOptions health, ForwardingOptions forwarding, IReadOnlyList<Uri> replicas)
    {
        var test = new ForwarderUnderTest(health, forwarding);
        var map = new ConsistentHashMap();
        var routes = new List<ReplicaRoute>();
        for (var i = 0; i < replicas.Count; i++)
        {
            map.Add($"S{i + 1}");
            routes.Add(new ReplicaRoute($"S{i + 1}", replicas[i], test.Policy));
        }

        await test.StartBalancerAsync(map, routes, forwarding);
        return test;
    }

    /// <summary>Publishes a table without <paramref name="hostname"/>, as the RingActor does when a replica leaves.</summary>
    public void Remove(string hostname)
    {
        var map = new ConsistentHashMap();
        var kept = Table.Replicas.Where(route => route.Hostname != hostname).ToList();
        kept.ForEach(route => map.Add(route.Hostname));
        Table = new RoutingTable(map.Current, kept);
        publisher!.Publish(Table);
    }

    private async Task StartBalancerAsync(ConsistentHashMap map, List<ReplicaRoute> routes, ForwardingOptions forwarding)
    {
        Policy.Budget.Replicas = routes.Count;
        Table = new RoutingTable(map.Current, routes);
        publisher = new RoutingTablePublisher(Table);
        var relay = new HealthEventsRelay();
        relay.Listen(new RecordingEvents(Events));
        var balancer = await StartAppAsync(services => services.AddHttpForwarder(), app =>
        {
            forwarder = new ReplicaForwarder(app.Services.GetRequiredService<IHttpForwarder>(), publisher,
                HashedRoutePicker.Instance, Options.Create(forwarding), Policy, relay, NullLogger<ReplicaForwarder>.Instance);
            app.Map("/{**path}", forwarder.ForwardAsync);
        });
        Client.BaseAddress = new Uri(balancer.Urls.First());
    }

    public ReplicaRoute Route(string hostname) => Table.Replicas.Single(route => route.Hostname == hostname);

    /// <summary>Ids the ring sends to <paramref name="hostname"/> first.</summary>
    public long[] IdsOwnedBy(string hostname, int count) =>
        Enumerable.Range(100_000, 900_000).Select(id => (long)id).Where(id => Table.Snapshot.Route(id) == hostname).Take(count).ToArray();

    /// <summary>GET /home for a request id: the status and the replica that answered (X-Replica).</summary>
    public async Task<(int Status, string? Replica)> HomeAsync(long id, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/home?id={id}") { Content = body };
        using var response = await Client.SendAsync(request);
        var replica = response.Headers.TryGetValues(ReplicaResponseTransformer.ReplicaHeader, out var values) ? values.Single() : null;
        return ((int)response.StatusCode, replica);
    }

    public static Task Ok(HttpContext context) => context.Response.WriteAsync("ok");

    public static Task ServerError(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return context.Response.WriteAsync("failing");
    }

    private async Task<WebApplication> StartAppAsync(Action<IServiceCollection> services, Action<WebApplication> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        services(builder.Services);
        var app = builder.Build();
        configure(app);
        await app.StartAsync();
        apps.Add(app);
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        foreach (var app in apps)
        {
            await app.StopAsync(TimeSpan.FromSeconds(1));
            await app.DisposeAsync();
        }

        forwarder?.Dispose();
    }

    private sealed class RecordingEvents(ConcurrentQueue<string> events) : IReplicaHealthEvents
    {
        public void Ejected(ReplicaRoute route, EjectionCause cause) => events.Enqueue($"ejected {route.Hostname} {cause}");

        public void Readmitted(ReplicaRoute route) => events.Enqueue($"readmitted {route.Hostname}");
    }
}
