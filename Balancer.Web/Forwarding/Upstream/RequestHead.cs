using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Balancer.Web.Forwarding.Upstream;

/// <summary>
/// Writes the request line and headers a replica receives, straight into the connection's buffer: the
/// client's headers except the hop-by-hop ones and Host (the replica's own authority instead), the
/// X-Forwarded-* trio that YARP's default transforms add, and <see cref="LoopGuard.Header"/>.
/// </summary>
internal static class RequestHead
{
    private static readonly byte[] HostPrefix = "\r\nHost: "u8.ToArray();

    /// <summary>Returns how many bytes of <paramref name="buffer"/> the head took; the buffer grows when it must.</summary>
    public static int Write(HttpContext context, string authority, ref byte[] buffer)
    {
        var writer = new HeadWriter(buffer);
        var request = context.Request;
        writer.Ascii(request.Method);
        writer.Byte((byte)' ');
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (rawTarget is { Length: > 0 } && rawTarget[0] == '/')
        {
            // Exactly what the client sent (its percent-encoding included): the replica sees the same target.
            writer.Latin1(rawTarget);
        }
        else
        {
            writer.Latin1(request.Path.ToUriComponent());
            writer.Latin1(request.QueryString.ToUriComponent());
        }

        writer.Bytes(" HTTP/1.1"u8);
        writer.Bytes(HostPrefix);
        writer.Latin1(authority);
        writer.Bytes("\r\n"u8);

        foreach (var (name, values) in request.Headers)
        {
            if (IsNotForwarded(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                writer.Latin1(name);
                writer.Bytes(": "u8);
                writer.Latin1(value ?? string.Empty);
                writer.Bytes("\r\n"u8);
            }
        }

        if (context.Connection.RemoteIpAddress is { } client)
        {
            writer.Bytes("X-Forwarded-For: "u8);
            writer.Latin1(client.ToString());
            writer.Bytes("\r\n"u8);
        }

        writer.Bytes("X-Forwarded-Proto: "u8);
        writer.Latin1(request.Scheme);
        writer.Bytes("\r\nX-Forwarded-Host: "u8);
        writer.Latin1(request.Host.Value ?? string.Empty);
        writer.Bytes("\r\n"u8);
        writer.Latin1(LoopGuard.Header);
        writer.Bytes(": "u8);
        writer.Latin1(LoopGuard.Mark);
        writer.Bytes("\r\n\r\n"u8);
        buffer = writer.Buffer;
        return writer.Length;
    }

    // Hop-by-hop headers belong to the client's connection; the X-Forwarded-* trio is replaced, as YARP does.
    private static bool IsNotForwarded(string name) =>
        HopByHopHeaders.Contains(name) ||
        name.Equals(HeaderNames.Host, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase);

    /// <summary>Appends to a byte buffer, doubling it when full.</summary>
    private struct HeadWriter(byte[] buffer)
    {
        public byte[] Buffer { get; private set; } = buffer;

        public int Length { get; private set; }

        public void Byte(byte value)
        {
            Reserve(1);
            Buffer[Length++] = value;
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            Reserve(bytes.Length);
            bytes.CopyTo(Buffer.AsSpan(Length));
            Length += bytes.Length;
        }

        public void Ascii(string text) => Latin1(text);

        // Header values are Latin-1 on the wire (RFC 9110 treats other bytes as opaque); ASCII is its subset.
        public void Latin1(string text)
        {
            Reserve(text.Length);
            Length += Encoding.Latin1.GetBytes(text, Buffer.AsSpan(Length));
        }

        private void Reserve(int count)
        {
            if (Length + count <= Buffer.Length)
            {
                return;
            }

            var grown = new byte[Math.Max(Buffer.Length * 2, Length + count)];
            Buffer.AsSpan(0, Length).CopyTo(grown);
            Buffer = grown;
        }
    }
}
