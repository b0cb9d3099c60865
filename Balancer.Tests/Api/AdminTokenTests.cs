using System.Net;
using System.Text.Json;
using Balancer.Tests.Support;
using Experiments.Live.Balancers;

namespace Balancer.Tests.Api;

/// <summary>Balancer:Admin:Token set: /add and /rm need it as a bearer token; reads and routing do not.</summary>
public sealed class AdminTokenTests(AdminTokenFixture fixture) : IClassFixture<AdminTokenFixture>
{
    private EmbeddedBalancer Balancer => fixture.Balancer;

    public static TheoryData<string, string, string?> RefusedChanges => new()
    {
        { "POST", "/add", null },
        { "DELETE", "/rm", null },
        { "POST", "/add", "Bearer wrong-token" },
        { "DELETE", "/rm", $"Bearer {AdminTokenFixture.Token}x" },
        { "POST", "/add", $"Basic {AdminTokenFixture.Token}" },
        { "POST", "/add", "Bearer" },
        { "POST", "/add", $"Bearer{AdminTokenFixture.Token}" },
    };

    [Theory]
    [MemberData(nameof(RefusedChanges))]
    public async Task AChangeWithoutTheTokenIsUnauthorizedInTheFailureShapeAndChangesNothing(string method, string path, string? authorization)
    {
        var pidsBefore = Balancer.ReplicaPids();
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent("""{"n":1,"hostnames":["S1"]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await Balancer.Api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["message", "status"], body.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal("failure", body.RootElement.GetProperty("status").GetString());
        Assert.Equal($"<Error> '{method} {path}' needs the admin token: send 'Authorization: Bearer <token>'",
            body.RootElement.GetProperty("message").GetString());
        Assert.Equal(["S1", "S2", "S3"], (await Balancer.Api.ListAsync()).Replicas);
        Assert.Equal(pidsBefore, Balancer.ReplicaPids());
    }

    [Fact]
    public async Task ReadsAndRoutingStayOpen()
    {
        using var rep = await Balancer.Api.Http.GetAsync("/rep");
        var (status, _, replica) = await Balancer.Api.HomeAsync(132574);

        Assert.Equal(HttpStatusCode.OK, rep.StatusCode);
        Assert.Equal("""{"message":{"N":3,"replicas":["S1","S2","S3"]},"status":"successful"}""", await rep.Content.ReadAsStringAsync());
        Assert.Equal(200, status);
        Assert.Contains(replica, new[] { "S1", "S2", "S3" });
    }

    [Fact]
    public async Task WithTheTokenAddAndRemoveWorkAsWithoutOne()
    {
        var (addStatus, added) = await SendWithTokenAsync(HttpMethod.Post, "/add", """{"n":1,"hostnames":["T1"]}""", "Bearer");
        var (removeStatus, removed) = await SendWithTokenAsync(HttpMethod.Delete, "/rm", """{"n":1,"hostnames":["T1"]}""", "bearer");

        Assert.Equal(200, addStatus);
        Assert.Equal("""{"message":{"N":4,"replicas":["S1","S2","S3","T1"]},"status":"successful"}""", added);
        Assert.Equal(200, removeStatus);
        Assert.Equal("""{"message":{"N":3,"replicas":["S1","S2","S3"]},"status":"successful"}""", removed);
        Assert.True(await Eventually.HoldsAsync(
            () => Task.FromResult(Balancer.ReplicaPids().Keys.Order().SequenceEqual(["S1", "S2", "S3"])), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task AWrongMethodIsStillAMethodError()
    {
        using var response = await Balancer.Api.Http.GetAsync("/add");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
    }

    private async Task<(int Status, string Body)> SendWithTokenAsync(HttpMethod method, string path, string body, string scheme)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {AdminTokenFixture.Token}");
        using var response = await Balancer.Api.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
