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

    /// <summary>
    /// One body per way a bad request is answered (the parser's cases are in-process, AdminRequestParserTests;
    /// the set's in AdminRequestRulesTests): bad JSON, a bad n, a name the set has, a name with a trailing
    /// newline, more than the set has.
    /// </summary>
    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "/add", "n=1", "not valid JSON" },
        { "/add", "{\"n\":0}", "positive integer" },
        { "/add", "{\"n\":1,\"hostnames\":[\"s2\"]}", "already exists" },
        { "/add", "{\"n\":1,\"hostnames\":[\"S5\\n\"]}", "is not valid" },
        { "/rm", "{\"n\":4}", "only 3 exist" },
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
    public async Task BodyThatIsNotUnicodeIsABadRequestInTheSpecShape()
    {
        var notUtf8 = "{\"n\":1,\"hostnames\":[\"S5\"]}"u8.ToArray();
        notUtf8[Array.IndexOf(notUtf8, (byte)'5')] = 0xFF;

        foreach (var body in new[] { notUtf8, "{\"n\":1,\"hostnames\":[\"\\ud800\"]}"u8.ToArray() })
        {
            var response = await Balancer.Api.SendBytesAsync(HttpMethod.Post, "/add", body);

            Assert.Equal(400, response.Status);
            Assert.Equal("failure", response.Json.GetProperty("status").GetString());
            Assert.Matches("^<Error> Request body .*not valid (UTF-8|Unicode)", response.Json.GetProperty("message").GetString());
        }

        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task ARequestThatABalancerForwardedAlreadyIsRefusedAsALoop()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/home");
        request.Headers.Add("X-Balancer-Forwarded", "1");

        using var response = await Balancer.Api.Http.SendAsync(request);

        Assert.Equal(508, (int)response.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("failure", body.RootElement.GetProperty("status").GetString());
        Assert.False(response.Headers.Contains("X-Replica"));
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
