using System.Text;
using Balancer.Web.Forwarding.Upstream;

namespace Balancer.Tests.Forwarding.Upstream;

/// <summary>Parsing a replica's status line and headers: what is passed on, how the body ends, whether the connection stays.</summary>
public sealed class ResponseHeadTests
{
    private static (ResponseHead Head, int Length) Parse(string text)
    {
        var head = new ResponseHead();
        var length = head.TryParse(Encoding.Latin1.GetBytes(text));
        return (head, length);
    }

    [Fact]
    public void A_chunked_answer_keeps_its_headers_but_not_the_hop_by_hop_ones()
    {
        const string text = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nKeep-Alive: timeout=5\r\nX-Custom:  a b \r\n\r\n5\r\nhello";

        var (head, length) = Parse(text);

        Assert.Equal(text.IndexOf("5\r\nhello", StringComparison.Ordinal), length);
        Assert.Equal(200, head.StatusCode);
        Assert.Equal(BodyFraming.Chunked, head.Framing);
        Assert.True(head.KeepAlive);
        Assert.Equal([new("Content-Type", "application/json"), new("X-Custom", "a b")], head.Headers);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n", "ContentLength", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\n", "ContentLength", false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\n", "ContentLength", false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 12\r\nConnection: keep-alive\r\n\r\n", "ContentLength", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", "UntilClose", false)]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", "None", true)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n", "None", true)]
    public void The_head_says_how_the_body_ends_and_whether_the_connection_can_be_reused(string text, string framing, bool keepAlive)
    {
        var (head, _) = Parse(text);

        Assert.Equal((Enum.Parse<BodyFraming>(framing), keepAlive), (head.Framing, head.KeepAlive));
        Assert.DoesNotContain(head.Headers, header => header.Key is "Content-Length" or "Connection");
    }

    [Fact]
    public void An_incomplete_head_asks_for_more_bytes()
    {
        Assert.Equal(0, Parse("HTTP/1.1 200 OK\r\nContent-Length: 1").Length);
    }

    [Theory]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nName : value\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    public void A_head_that_is_not_http_1_is_a_protocol_error(string text)
    {
        Assert.Throws<UpstreamProtocolException>(() => Parse(text));
    }

    [Fact]
    public void The_same_header_line_on_a_connection_reuses_its_strings()
    {
        var head = new ResponseHead();
        var bytes = "HTTP/1.1 200 OK\r\nServer: Kestrel\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

        head.TryParse(bytes);
        var first = head.Headers[0].Value;
        head.TryParse(bytes);

        Assert.Same(first, head.Headers[0].Value);
    }
}
