using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Experiments.Live;

/// <summary>
/// The balancer's public HTTP API as a client sees it (/rep, /add, /rm, /home): the one client of the
/// experiments and the tests, for an embedded balancer and a deployed one alike.
/// </summary>
public sealed class BalancerApi : IDisposable
{
    private const string HelloPrefix = "Hello from Server: ";

    private readonly string? adminToken;

    /// <param name="adminToken">The balancer's Balancer:Admin:Token, sent on /add and /rm; null when it has none.</param>
    public BalancerApi(Uri address, string? adminToken = null)
    {
        this.adminToken = adminToken;
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        // Long enough for an /add that waits until its replicas serve on a busy machine; the load
        // generator bounds each /home request more tightly itself.
        Http = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The client underneath, for callers that check HTTP itself (headers, content types).</summary>
    public HttpClient Http { get; }

    /// <summary>GET /rep; throws <see cref="HttpRequestException"/> for any answer but a success.</summary>
    public async Task<ReplicaListing> ListAsync()
    {
        var message = (await Http.GetFromJsonAsync<JsonElement>("/rep")).GetProperty("message");
        var replicas = message.GetProperty("replicas").EnumerateArray().Select(item => item.GetString()!).ToArray();
        return new ReplicaListing(message.GetProperty("N").GetInt32(), replicas);
    }

    public Task<ApiResponse> AddAsync(int n, params string[] hostnames) => ChangeAsync(HttpMethod.Post, "/add", n, hostnames);

    public Task<ApiResponse> RemoveAsync(int n, params string[] hostnames) => ChangeAsync(HttpMethod.Delete, "/rm", n, hostnames);

    /// <summary>GET /home with the id as X-Request-ID.</summary>
    public async Task<ApiResponse> HomeAsync(long requestId, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/home");
        request.Headers.Add("X-Request-ID", requestId.ToString(CultureInfo.InvariantCulture));
        return await SendAsync(request, cancellationToken);
    }

    /// <summary>Sends any request as given (no admin token) and keeps status and body as they came.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await SendAsync(request, CancellationToken.None);
    }

    /// <summary>Sends a JSON body as the bytes given, which need not be UTF-8 text.</summary>
    public async Task<ApiResponse> SendBytesAsync(HttpMethod method, string path, byte[] body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return await SendAsync(request, CancellationToken.None);
    }

    public void Dispose() => Http.Dispose();

    private async Task<ApiResponse> ChangeAsync(HttpMethod method, string path, int n, string[] hostnames)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(ScaleBody(n, hostnames), Encoding.UTF8, "application/json") };
        if (adminToken is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
        }

        return await SendAsync(request, CancellationToken.None);
    }

    /// <summary>`hostnames` is optional in the API: a request that names none leaves it out.</summary>
    private static string ScaleBody(int n, string[] hostnames) =>
        hostnames.Length == 0 ? JsonSerializer.Serialize(new { n }) : JsonSerializer.Serialize(new { n, hostnames });

    private async Task<ApiResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await Http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var header = response.Headers.TryGetValues("X-Replica", out var values) ? values.FirstOrDefault() : null;
        return new ApiResponse((int)response.StatusCode, body, NameInGreeting(body) ?? header);
    }

    /// <summary>The replica named by a replica's "Hello from Server: X", or null for any other body.</summary>
    private static string? NameInGreeting(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String
                && message.GetString() is { } text && text.StartsWith(HelloPrefix, StringComparison.Ordinal)
                    ? text[HelloPrefix.Length..]
                    : null;
        }
        catch (JsonException)
        {
            // Not JSON (an empty heartbeat, a proxy's error page): no greeting in it.
            return null;
        }
    }
}
