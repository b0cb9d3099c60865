using System.Globalization;
using System.Text;

namespace Balancer.Web.Forwarding;

/// <summary>The id a request is hashed by: <c>X-Request-ID</c>, else <c>?id=</c>, else a random six-digit id.</summary>
internal static class RequestIds
{
    public const string Header = "X-Request-ID";
    public const string QueryKey = "id";

    public static long Read(HttpRequest request)
    {
        if (request.Headers.TryGetValue(Header, out var header) && !string.IsNullOrWhiteSpace(header.ToString()))
        {
            return Parse(header.ToString());
        }

        if (request.Query.TryGetValue(QueryKey, out var query) && !string.IsNullOrWhiteSpace(query.ToString()))
        {
            return Parse(query.ToString());
        }

        return Random.Shared.Next(100_000, 1_000_000);
    }

    /// <summary>An integer as itself; any other key (a UUID, say) as a stable 64-bit FNV-1a hash of its text.</summary>
    public static long Parse(string key)
    {
        var trimmed = key.Trim();
        if (long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }

        var hash = 0xCBF29CE484222325UL;
        foreach (var value in Encoding.UTF8.GetBytes(trimmed))
        {
            hash = (hash ^ value) * 0x100000001B3UL;
        }

        return (long)(hash & long.MaxValue);
    }
}
