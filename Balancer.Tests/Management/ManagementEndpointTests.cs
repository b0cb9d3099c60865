using System.Net;
using Balancer.Tests.Support;
using Experiments.Live.Balancers;

namespace Balancer.Tests.Management;

/// <summary>The management listener of a real balancer: its endpoints, kept apart from the balancer's own port.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ManagementEndpointTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ScrapedRequestCountsMatchWhatWasSentAndAKilledReplicaShowsAsReplaced()
    {
        await using var balancer = await TestBalancer.StartAsync(3);
        using var http = new HttpClient();

        var sent = new Dictionary<string, int>();
        for (var id = 0; id < 90; id++)
        {
            var answer = await balancer.Api.HomeAsync(100_000 + (id * 7919));
            Assert.Equal(200, answer.Status);
            sent[answer.Replica!] = sent.GetValueOrDefault(answer.Replica!) + 1;
        }

        // A request is counted once its response is complete, a moment after the client has read it, and
        // replica states are sampled once a second: wait for both, then compare exactly.
        var victim = (await balancer.Api.ListAsync()).Replicas[1];
        var scrape = await PrometheusScrape.FetchAsync(http, balancer.ManagementAddress);
        await Eventually.HoldsAsync(async () =>
        {
            scrape = await PrometheusScrape.FetchAsync(http, balancer.ManagementAddress);
            return sent.All(pair => scrape.Value("lb_requests_total", ("replica", pair.Key), ("status_class", "2xx")) == pair.Value)
                && scrape.Matching("lb_replica_state", ("replica", victim), ("state", "serving")).Any(sample => sample.Value == 1);
        }, Within);
        foreach (var (replica, count) in sent)
        {
            Assert.Equal(count, scrape.Value("lb_requests_total", ("replica", replica), ("status_class", "2xx")));
            Assert.Equal(count, scrape.Value("lb_request_duration_seconds_count", ("replica", replica)));
        }

        Assert.Equal(3, scrape.Value("lb_replicas_desired"));
        Assert.Equal(1.0, scrape.Matching("lb_replica_ring_share").Sum(sample => sample.Value), 3);
        Assert.Contains("dotnet_gc_collections_total", scrape.Names);
        Assert.Contains("dotnet_process_cpu_time_seconds_total", scrape.Names);

        Assert.Equal(1, scrape.Value("lb_replica_state", ("replica", victim), ("state", "serving")));
        await balancer.KillReplicaAsync(victim, CancellationToken.None);

        PrometheusScrape? after = null;
        var replaced = await Eventually.HoldsAsync(async () =>
        {
            after = await PrometheusScrape.FetchAsync(http, balancer.ManagementAddress);
            var serving = after.Matching("lb_replica_state", ("state", "serving")).Where(sample => sample.Value == 1).Select(sample => sample.Labels["replica"]).ToArray();
            return serving.Length == 3 && !serving.Contains(victim) && after.Value("lb_replicas_serving") == 3;
        }, Within);
        Assert.True(replaced, $"{victim} was not shown as replaced:\n{string.Join('\n', after?.Matching("lb_replica_state").Select(sample => sample.ToString()) ?? [])}");
        Assert.Empty(after!.Matching("lb_replica_state", ("replica", victim)));
        Assert.True(after.Value("lb_replacements_total") >= 1, "the replacement is counted");
    }

    [Fact]
    public async Task ManagementEndpointsAnswerOnlyOnTheManagementPortAndMetricsOnTheBalancerPortIsForwarded()
    {
        await using var balancer = await TestBalancer.StartAsync(2);
        using var http = new HttpClient();
        var management = balancer.ManagementAddress;

        var healthz = await http.GetAsync(new Uri(management, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        var ready = false;
        var readyz = "";
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            using var answer = await http.GetAsync(new Uri(management, "/readyz"));
            readyz = await answer.Content.ReadAsStringAsync();
            ready = answer.StatusCode == HttpStatusCode.OK;
            return ready;
        }, Within), readyz);
        Assert.Contains("2 of 2", readyz);

        var page = await http.GetAsync(new Uri(management, "/status"));
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var json = await http.GetStringAsync(new Uri(management, "/status.json"));
        Assert.Contains("\"replicas\":[", json);

        // The balancer's own API is not on the management port, and its /metrics is a replica path like any other.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(management, "/rep"))).StatusCode);
        var forwarded = await balancer.Api.SendAsync(HttpMethod.Get, "/metrics");
        Assert.Equal(400, forwarded.Status);
        Assert.Contains("'/metrics' endpoint does not exist in server replicas", forwarded.Body);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync(new Uri(management, "/readyz"), null)).StatusCode);
    }

    [Fact]
    public async Task AdminRequestsAreCountedByEndpointAndStatus()
    {
        await using var balancer = await TestBalancer.StartAsync(1);
        using var http = new HttpClient();

        await balancer.Api.ListAsync();
        Assert.Equal(400, (await balancer.Api.RemoveAsync(1, "nope")).Status);

        var scrape = await PrometheusScrape.FetchAsync(http, balancer.ManagementAddress);
        Assert.True(scrape.Value("lb_admin_requests_total", ("endpoint", "rep"), ("status_code", "200")) >= 1);
        Assert.Equal(1, scrape.Value("lb_admin_requests_total", ("endpoint", "rm"), ("status_code", "400")));
    }
}
