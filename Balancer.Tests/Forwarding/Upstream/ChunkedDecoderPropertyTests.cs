using System.Text;
using Balancer.Web.Forwarding.Upstream;
using FsCheck.Xunit;

namespace Balancer.Tests.Forwarding.Upstream;

/// <summary>The chunked decoder against bodies encoded with random chunk sizes and delivered in random pieces.</summary>
public sealed class ChunkedDecoderPropertyTests
{
    [Property(MaxTest = 300)]
    public bool DecodingRandomlySplitChunksGivesTheBodyBack(int seed)
    {
        var random = new Random(seed);
        var body = new byte[random.Next(0, 5000)];
        random.NextBytes(body);
        var encoded = Encode(body, random, out var trailingBytes);

        // The bytes arrive in random pieces; the decoder sees everything received and not consumed yet.
        var decoder = new ChunkedDecoder();
        var decoded = new List<byte>();
        var received = 0;
        var start = 0;
        while (!decoder.IsDone)
        {
            decoder.Advance(encoded.AsSpan(start, received - start), out var consumed, out var data);
            if (consumed == 0)
            {
                if (received == encoded.Length)
                {
                    return false;
                }

                received = Math.Min(encoded.Length, received + random.Next(1, 64));
                continue;
            }

            decoded.AddRange(encoded.AsSpan(start, consumed)[data].ToArray());
            start += consumed;
        }

        // It stops exactly at the end of the body: what follows belongs to the next response.
        return decoded.SequenceEqual(body) && start == encoded.Length - trailingBytes;
    }

    [Property(MaxTest = 200)]
    public bool MeasuringFindsTheTotalOnlyWhenTheWholeBodyIsThere(int seed)
    {
        var random = new Random(seed);
        var body = new byte[random.Next(0, 3000)];
        random.NextBytes(body);
        var encoded = Encode(body, random, out var trailingBytes);
        var bodyEnd = encoded.Length - trailingBytes;
        var cut = random.Next(0, bodyEnd + 1);

        var measured = new ChunkedDecoder().TryMeasure(encoded.AsSpan(0, cut), out var total);

        return cut == bodyEnd ? measured && total == body.Length : !measured;
    }

    [Fact]
    public void A_chunk_size_that_is_not_hexadecimal_is_a_protocol_error()
    {
        var decoder = new ChunkedDecoder();

        Assert.Throws<UpstreamProtocolException>(() => decoder.Advance("zz\r\nhello\r\n"u8, out _, out _));
    }

    /// <summary>Random chunk sizes, some with extensions, a trailer now and then, then bytes of a next response.</summary>
    private static byte[] Encode(byte[] body, Random random, out int trailingBytes)
    {
        var output = new MemoryStream();
        for (var offset = 0; offset < body.Length;)
        {
            var size = Math.Min(body.Length - offset, random.Next(1, 700));
            var extension = random.Next(4) == 0 ? ";name=value" : string.Empty;
            output.Write(Encoding.ASCII.GetBytes($"{size:x}{extension}\r\n"));
            output.Write(body, offset, size);
            output.Write("\r\n"u8);
            offset += size;
        }

        output.Write(random.Next(3) == 0 ? "0\r\nX-Trailer: 1\r\n\r\n"u8 : "0\r\n\r\n"u8);
        var next = "HTTP/1.1 200 OK\r\n"u8;
        trailingBytes = random.Next(2) == 0 ? next.Length : 0;
        output.Write(next[..trailingBytes]);
        return output.ToArray();
    }
}
