using Microsoft.Net.Http.Headers;

namespace Balancer.Web.Forwarding.Upstream;

/// <summary>Headers that belong to one connection (RFC 9110, section 7.6.1): never passed on, in either direction.</summary>
internal static class HopByHopHeaders
{
    public static bool Contains(string name) =>
        name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(HeaderNames.KeepAlive, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(HeaderNames.TE, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(HeaderNames.Trailer, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(HeaderNames.Upgrade, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(HeaderNames.ProxyConnection, StringComparison.OrdinalIgnoreCase);
}
