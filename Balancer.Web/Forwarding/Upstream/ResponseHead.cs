using System.Buffers.Text;
using Microsoft.Net.Http.Headers;

namespace Balancer.Web.Forwarding.Upstream;

/// <summary>
/// The status line and headers of a replica's response, parsed from the connection's buffer. One instance
/// per connection, reused for every response on it; the headers to pass on exclude the hop-by-hop ones.
/// </summary>
internal sealed class ResponseHead
{
    /// <summary>Kestrel's own default limit for a request's headers; a replica's head is far smaller.</summary>
    public const int MaxHeadBytes = 32 * 1024;

    private const int MostHeaders = 100;
    private readonly HeaderStrings strings = new();

    public int StatusCode { get; private set; }

    public BodyFraming Framing { get; private set; }

    public long ContentLength { get; private set; }

    /// <summary>The replica lets the connection be reused after this response.</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>The headers to copy to the client's response (no hop-by-hop header, no Content-Length: see <see cref="ContentLength"/>).</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = [];

    /// <summary>Parses a complete head at the start of <paramref name="data"/>: its length, or 0 when more bytes are needed.</summary>
    /// <exception cref="UpstreamProtocolException">The bytes are not an HTTP/1.x response head.</exception>
    public int TryParse(ReadOnlySpan<byte> data)
    {
        var headEnd = data.IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            return data.Length >= MaxHeadBytes ? throw new UpstreamProtocolException("The response head is larger than 32 KiB") : 0;
        }

        var lineEnd = data.IndexOf("\r\n"u8);
        ParseStatusLine(data[..lineEnd], out var http11);
        Headers.Clear();
        ContentLength = -1;
        var chunked = false;
        var close = false;
        var keepAlive = false;
        var position = 0;
        var rest = data[(lineEnd + 2)..(headEnd + 2)];
        while (!rest.IsEmpty)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            var line = rest[..lineEnd];
            rest = rest[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[colon - 1] is (byte)' ' or (byte)'\t' || line[0] is (byte)' ' or (byte)'\t')
            {
                throw new UpstreamProtocolException("A response header line is malformed");
            }

            var (name, value) = strings.Get(position++, line, colon, line[(colon + 1)..].Trim(" \t"u8));
            if (name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                ContentLength = ParseLength(value);
            }
            else if (name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.EndsWith("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase))
            {
                close |= value.Contains("close", StringComparison.OrdinalIgnoreCase);
                keepAlive |= value.Contains("keep-alive", StringComparison.OrdinalIgnoreCase);
            }
            else if (!HopByHopHeaders.Contains(name))
            {
                if (Headers.Count == MostHeaders)
                {
                    throw new UpstreamProtocolException($"The response has more than {MostHeaders} headers");
                }

                Headers.Add(new KeyValuePair<string, string>(name, value));
            }
        }

        Framing = StatusCode is < 200 or 204 or 304 ? BodyFraming.None
            : chunked ? BodyFraming.Chunked
            : ContentLength >= 0 ? BodyFraming.ContentLength
            : BodyFraming.UntilClose;
        KeepAlive = Framing != BodyFraming.UntilClose && !close && (http11 || keepAlive);
        return headEnd + 4;
    }

    private void ParseStatusLine(ReadOnlySpan<byte> line, out bool http11)
    {
        // "HTTP/1.1 200 OK": the version, a space, three digits, then an optional reason.
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' ' || (line.Length > 12 && line[12] != (byte)' ') ||
            !Utf8Parser.TryParse(line.Slice(9, 3), out int status, out var digits) || digits != 3 || status < 100)
        {
            throw new UpstreamProtocolException("The response does not start with an HTTP/1.x status line");
        }

        http11 = line[7] == (byte)'1';
        StatusCode = status;
    }

    private static long ParseLength(string value) =>
        long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length)
            ? length
            : throw new UpstreamProtocolException($"The response's Content-Length '{value}' is not a length");
}
