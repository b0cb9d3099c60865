using System.Net;
using System.Text.Json;
using Experiments.Live.Balancers;

namespace Balancer.Tests.Api;

/// <summary>Every endpoint and every error case of the balancer's HTTP API, against real processes.</summary>
public sealed class ApiContractTests(BalancerFixture fixture) : IClassFixture<BalancerFixture>
{
    private EmbeddedBalancer Balancer => fixture.Balancer;

    [Fact]
    public async Task RepListsTheReplicasInTheSpecShape()
    {
        using var response = await Balancer.Api.Http.GetAsync("/rep");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"message":{"N":3,"replicas":["S1","S2","S3"]},"status":"successful"}""", body);
    }

    [Fact]
    public async Task HomeIsForwardedToTheReplicaTheRingPicks()
    {
        var ring = new Actors.Routing.ConsistentHashMap();
        foreach (var name in new[] { "S1", "S2", "S3" })
        {
            ring.Add(name);
        }

        foreach (var id in new long[] { 0, 3, 5, 6, 10, 132574, 999999 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/home?id={id}");
            using var response = await Balancer.Api.Http.SendAsync(request);
            var expected = ring.Current.Route(id);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($$"""{"message":"Hello from Server: {{expected}}","status":"successful"}""", await response.Content.ReadAsStringAsync());
            Assert.Equal(expected, response.Headers.GetValues("X-Replica").Single());
        }
    }

    [Fact]
    public async Task RequestIdHeaderWinsOverTheQueryAndNonNumericIdsAreStable()
    {
        var fromHeader = new HashSet<string?>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/home?id=10");
            request.Headers.Add("X-Request-ID", "user-42");
            using var response = await Balancer.Api.Http.SendAsync(request);
            fromHeader.Add(response.Headers.GetValues("X-Replica").Single());
        }

        Assert.Single(fromHeader);
    }

    [Fact]
    public async Task HeartbeatIsForwardedAsAnEmptyOk()
    {
        using var response = await Balancer.Api.Http.GetAsync("/heartbeat");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/other")]
    [InlineData("/home/deeper")]
    public async Task PathTheReplicasDoNotServeIsTheSpecError(string path)
    {
        var response = await Balancer.Api.SendAsync(HttpMethod.Get, path + "?id=7");

        Assert.Equal(400, response.Status);
        AssertFailure(response.Json, $"<Error> '{path}' endpoint does not exist in server replicas");
    }

    [Theory]
    [InlineData("POST", "/home")]
    [InlineData("DELETE", "/other")]
    [InlineData("POST", "/rep")]
    [InlineData("GET", "/add")]
    [InlineData("PUT", "/rm")]
    public async Task OtherMethodsAreRefusedWithMethodNotAllowed(string method, string path)
    {
        var response = await Balancer.Api.SendAsync(new HttpMethod(method), path);

        Assert.Equal(405, response.Status);
        Assert.Equal("failure", response.Json.GetProperty("status").GetString());
        Assert.StartsWith("<Error> ", response.Json.GetProperty("message").GetString());
        await AssertUnchangedAsync();
    }

    [Theory]
    [InlineData("/add", """{"n":2,"hostnames":["S5","S4","S10","S11"]}""", "<Error> Length of hostname list is more than newly added instances")]
    [InlineData("/rm", """{"n":2,"hostnames":["S5","S4","S10","S11"]}""", "<Error> Length of hostname list is more than removable instances")]
    public async Task MoreHostnamesThanNIsTheSpecError(string path, string json, string expected)
    {
        var response = await Balancer.Api.SendAsync(path == "/add" ? HttpMethod.Post : HttpMethod.Delete, path, json);

        Assert.Equal(400, response.Status);
        AssertFailure(response.Json, expected);
        await AssertUnchangedAsync();
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "/add", "", "not valid JSON" },
        { "/add", "{\"n\":1", "not valid JSON" },
        { "/add", "n=1", "not valid JSON" },
        { "/add", "[1]", "must be a JSON object" },
        { "/add", "\"S5\"", "must be a JSON object" },
        { "/add", "{}", "'n' is required" },
        { "/add", "{\"hostnames\":[\"S5\"]}", "'n' is required" },
        { "/add", "{\"n\":\"2\"}", "'n' must be an integer" },
        { "/add", "{\"n\":1.5}", "'n' must be an integer" },
        { "/add", "{\"n\":true}", "'n' must be an integer" },
        { "/add", "{\"n\":0}", "positive integer" },
        { "/add", "{\"n\":-3}", "positive integer" },
        { "/add", "{\"n\":99999999999999999999}", "'n' must be an integer" },
        { "/add", "{\"n\":1000000}", "too large" },
        { "/add", "{\"n\":100}", "would exceed" },
        { "/add", "{\"n\":1,\"hostnames\":\"S5\"}", "must be a list of strings" },
        { "/add", "{\"n\":1,\"hostnames\":[5]}", "must be a list of strings" },
        { "/add", "{\"n\":1,\"hostnames\":[null]}", "must be a list of strings" },
        { "/add", "{\"n\":2,\"hostnames\":[\"S7\",\"s7\"]}", "more than once" },
        { "/add", "{\"n\":1,\"hostnames\":[\"bad_name\"]}", "is not valid" },
        { "/add", "{\"n\":1,\"hostnames\":[\"-x\"]}", "is not valid" },
        { "/add", "{\"n\":1,\"hostnames\":[\"\"]}", "is not valid" },
        { "/add", "{\"n\":1,\"hostnames\":[\"a.b\"]}", "is not valid" },
        { "/add", "{\"n\":1,\"hostnames\":[\"../etc\"]}", "is not valid" },
        { "/add", $"{{\"n\":1,\"hostnames\":[\"{new string('a', 64)}\"]}}", "is not valid" },
        { "/add", "{\"n\":1,\"hostnames\":[\"S2\"]}", "already exists" },
        { "/add", "{\"n\":1,\"hostnames\":[\"s2\"]}", "already exists" },
        { "/add", "{\"n\":1,\"extra\":true}", "Unknown field 'extra'" },
        { "/rm", "not json", "not valid JSON" },
        { "/rm", "{\"n\":1,\"hostnames\":[\"S9\"]}", "does not exist" },
        { "/rm", "{\"n\":4}", "only 3 exist" },
        { "/rm", "{\"n\":2,\"hostnames\":[\"S1\",\"s1\"]}", "more than once" },
        { "/rm", "{\"n\":0}", "positive integer" },
        { "/rm", "{\"hostnames\":[\"S1\"]}", "'n' is required" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadInputIsRejectedAndChangesNothing(string path, string json, string expected)
    {
        var before = Balancer.ReplicaPids();

        var response = await Balancer.Api.SendAsync(path == "/add" ? HttpMethod.Post : HttpMethod.Delete, path, json);

        Assert.Equal(400, response.Status);
        Assert.Equal("failure", response.Json.GetProperty("status").GetString());
        var message = response.Json.GetProperty("message").GetString()!;
        Assert.StartsWith("<Error> ", message);
        Assert.Contains(expected, message);
        await AssertUnchangedAsync();
        Assert.Equal(before, Balancer.ReplicaPids());
    }

    [Fact]
    public async Task OversizedBodyIsRefused()
    {
        var json = "{\"n\":1,\"hostnames\":[" + string.Join(",", Enumerable.Repeat("\"aaaaaaaa\"", 10_000)) + "]}";

        var response = await Balancer.Api.SendAsync(HttpMethod.Post, "/add", json);

        Assert.Equal(413, response.Status);
        Assert.Equal("failure", response.Json.GetProperty("status").GetString());
        await AssertUnchangedAsync();
    }

    private async Task AssertUnchangedAsync()
    {
        var (n, replicas) = await Balancer.Api.ListAsync();
        Assert.Equal(3, n);
        Assert.Equal(["S1", "S2", "S3"], replicas);
    }

    private static void AssertFailure(JsonElement body, string message)
    {
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.Equal("failure", body.GetProperty("status").GetString());
    }
}
