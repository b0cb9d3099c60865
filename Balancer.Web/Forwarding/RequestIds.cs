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

        if (TryFindPlainQueryId(request.QueryString.Value, out var plain, out var found))
        {
            return found && !plain.IsWhiteSpace() ? Parse(plain) : RandomId();
        }

        if (request.Query.TryGetValue(QueryKey, out var query) && !string.IsNullOrWhiteSpace(query.ToString()))
        {
            return Parse(query.ToString());
        }

        return RandomId();
    }

    /// <summary>
    /// Finds <c>?id=</c> in a query string that needs no decoding (no '%', no '+'), without building the
    /// query collection: what <see cref="HttpRequest.Query"/> would give, for the common case. False when
    /// the query needs decoding or names id more than once; the caller then asks the collection.
    /// </summary>
    private static bool TryFindPlainQueryId(string? query, out ReadOnlySpan<char> value, out bool found)
    {
        value = default;
        found = false;
        if (string.IsNullOrEmpty(query))
        {
            return true;
        }

        var text = query.AsSpan(query[0] == '?' ? 1 : 0);
        if (text.IndexOfAny('%', '+') >= 0)
        {
            return false;
        }

        foreach (var range in text.Split('&'))
        {
            var pair = text[range];
            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair[..equals];
            if (!key.Equals(QueryKey, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (found)
            {
                // Several ids: the collection joins them, as the slow path always did.
                return false;
            }

            found = true;
            value = equals < 0 ? default : pair[(equals + 1)..];
        }

        return true;
    }

    private static long RandomId() => Random.Shared.Next(100_000, 1_000_000);

    private static long Parse(ReadOnlySpan<char> key) =>
        long.TryParse(key.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? id : Parse(key.ToString());

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
