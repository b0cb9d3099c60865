namespace Balancer.Web.Management;

/// <summary>
/// The management listener (<c>Balancer:Management</c>): /metrics, /status, /status.json, /healthz and
/// /readyz on a port of their own, so none of them shadows a replica path on the spec's port.
/// </summary>
public sealed record ManagementOptions
{
    /// <summary>HAProxy's customary stats port, on loopback: the management pages are for this machine unless opened up.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8404";

    /// <summary>Where the management endpoints listen, separated by ';' as ASP.NET Core's own <c>urls</c>; empty turns them off.</summary>
    public string Urls { get; init; } = DefaultUrls;

    public IReadOnlyList<string> UrlList => Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The ports of <see cref="Urls"/>: a request that arrives on one of them is a management request.</summary>
    public IReadOnlySet<int> Ports => UrlList.Select(PortOf).ToHashSet();

    /// <exception cref="ArgumentException">A URL is not an absolute http URL, or shares a port with the balancer's own URLs.</exception>
    public void Validate(IEnumerable<string> balancerUrls)
    {
        var balancerPorts = balancerUrls.Select(PortOf).ToHashSet();
        foreach (var url in UrlList)
        {
            if (balancerPorts.Contains(PortOf(url)))
            {
                throw new ArgumentException(
                    $"Balancer:Management:Urls ({url}) uses a port of the balancer's own URLs; the management pages need a port of their own.",
                    nameof(Urls));
            }
        }
    }

    private static int PortOf(string url)
    {
        // Kestrel's wildcard hosts (http://*:8404, http://+:8404) are not URIs; the port is what matters here.
        var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"'{url}' is not an http URL, such as {DefaultUrls}.", nameof(Urls));
        }

        return uri.Port;
    }
}
