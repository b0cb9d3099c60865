using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using Experiments.Live.Load;

namespace Experiments.Live;

/// <summary>The balancer's public HTTP API, as a client sees it.</summary>
internal sealed class BalancerApi : IDisposable
{
    private const string HelloPrefix = "Hello from Server: ";

    private readonly HttpClient client;

    public BalancerApi(Uri address)
    {
        Address = address;
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        // A request that takes this long has failed for the purpose of a load test.
        client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri Address { get; }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        var body = await client.GetFromJsonAsync<JsonElement>("/rep", cancellationToken);
        return body.GetProperty("message").GetProperty("replicas").EnumerateArray().Select(item => item.GetString()!).ToArray();
    }

    public Task<RawResponse> AddAsync(int count, params string[] hostnames) =>
        SendAsync(HttpMethod.Post, "/add", JsonSerializer.Serialize(new { n = count, hostnames }));

    public Task<RawResponse> RemoveAsync(int count, params string[] hostnames) =>
        SendAsync(HttpMethod.Delete, "/rm", JsonSerializer.Serialize(new { n = count, hostnames }));

    /// <summary>Sends any request and keeps status and body as they came, for the endpoint checks.</summary>
    public async Task<RawResponse> SendAsync(HttpMethod method, string path, string? json = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var replica = response.Headers.TryGetValues("X-Replica", out var values) ? values.FirstOrDefault() : null;
        return new RawResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken), replica);
    }

    /// <summary>
    /// GET /home with the id as X-Request-ID. Never throws for a failed request: a failure is an
    /// outcome with no replica. Times are measured on <paramref name="clock"/> (the run's start).
    /// </summary>
    public async Task<RequestOutcome> HomeAsync(long requestId, Stopwatch clock, CancellationToken cancellationToken)
    {
        var startedAt = clock.Elapsed;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/home");
            request.Headers.Add("X-Request-ID", requestId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var response = await client.SendAsync(request, cancellationToken);
            var replica = response.IsSuccessStatusCode ? await ServedByAsync(response, cancellationToken) : null;
            return new RequestOutcome(requestId, startedAt, clock.Elapsed, (int)response.StatusCode, replica);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new RequestOutcome(requestId, startedAt, clock.Elapsed, 0, null);
        }
    }

    public void Dispose() => client.Dispose();

    /// <summary>The body's "Hello from Server: X" names the replica; X-Replica is the fallback.</summary>
    private static async Task<string?> ServedByAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        if (body.TryGetProperty("message", out var message) && message.GetString() is { } text
            && text.StartsWith(HelloPrefix, StringComparison.Ordinal))
        {
            return text[HelloPrefix.Length..];
        }

        return response.Headers.TryGetValues("X-Replica", out var values) ? values.FirstOrDefault() : null;
    }
}

internal sealed record RawResponse(int Status, string Body, string? Replica);
