using System.Net.Http.Json;
using System.Text.Json;

namespace Balancer.Tests.Docker.Deploy;

/// <summary>
/// The balancer's HTTP API as a client sees it: through the port the deploy published on the host,
/// with the admin token the deploy was given on /add and /rm.
/// </summary>
internal sealed class DeployedApi(int port, string adminToken) : IDisposable
{
    private const string HomePrefix = "Hello from Server: ";

    private readonly HttpClient client = new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

    public async Task<(int N, IReadOnlyList<string> Replicas)> ListAsync()
    {
        using var response = await client.GetAsync("/rep");
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message");
        return (message.GetProperty("N").GetInt32(), message.GetProperty("replicas").EnumerateArray().Select(item => item.GetString()!).ToArray());
    }

    /// <summary>GET /home with a request id: the status and the replica named in the answer (or the message, when none).</summary>
    public async Task<(int Status, string? Replica)> HomeAsync(long requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/home");
        request.Headers.Add("X-Request-ID", requestId.ToString());
        using var response = await client.SendAsync(request);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString()!;
        return ((int)response.StatusCode, message.StartsWith(HomePrefix, StringComparison.Ordinal) ? message[HomePrefix.Length..] : message);
    }

    public async Task<HttpResponseMessage> GetAsync(string path) => await client.GetAsync(path);

    public Task<int> AddAsync(int n, params string[] hostnames) => SendAsync(HttpMethod.Post, "/add", n, hostnames, adminToken);

    public Task<int> RemoveAsync(int n, params string[] hostnames) => SendAsync(HttpMethod.Delete, "/rm", n, hostnames, adminToken);

    /// <summary>An /add without the admin token, as anyone who reaches the port could send it.</summary>
    public Task<int> AddWithoutTokenAsync(int n, params string[] hostnames) => SendAsync(HttpMethod.Post, "/add", n, hostnames, null);

    public void Dispose() => client.Dispose();

    private async Task<int> SendAsync(HttpMethod method, string path, int n, string[] hostnames, string? token)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(new { n, hostnames }) };
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }
}
