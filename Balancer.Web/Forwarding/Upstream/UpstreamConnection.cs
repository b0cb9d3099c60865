using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Balancer.Web.Forwarding.Upstream;

/// <summary>
/// One keep-alive HTTP/1.1 connection to a replica with buffers of its own: a pooled connection forwards
/// a request without allocating for its I/O. Used by one request at a time.
/// </summary>
internal sealed class UpstreamConnection : IDisposable
{
    private const int ReadBufferBytes = 16 * 1024;
    private readonly Socket socket;
    private byte[] writeBuffer = new byte[2048];

    private UpstreamConnection(Socket socket)
    {
        this.socket = socket;
        CreatedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>Received bytes not consumed yet are <c>Buffer[Start..End]</c>.</summary>
    public byte[] Buffer { get; } = new byte[ReadBufferBytes];

    public int Start { get; set; }

    public int End { get; private set; }

    public ReadOnlySpan<byte> Unread => Buffer.AsSpan(Start, End - Start);

    public ResponseHead Head { get; } = new();

    /// <summary>Armed for each read and write of an attempt; reset (or the connection dropped) when the attempt ends.</summary>
    public CancellationTokenSource Timeout { get; private set; } = new();

    public long CreatedAt { get; }

    public long IdleSince { get; set; }

    /// <summary>The connection carried a request before: a failure before any answer may just mean the replica closed it while idle.</summary>
    public bool Reused { get; private set; }

    public static async ValueTask<UpstreamConnection> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new UpstreamConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Writes the request head for <paramref name="context"/> and sends it whole.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendHeadAsync(HttpContext context, string authority, CancellationToken cancellationToken)
    {
        var length = RequestHead.Write(context, authority, ref writeBuffer);
        var sent = 0;
        while (sent < length)
        {
            sent += await socket.SendAsync(writeBuffer.AsMemory(sent, length - sent), SocketFlags.None, cancellationToken);
        }
    }

    /// <summary>Reads more bytes after the unread ones (moving those to the front when the end is near): the count, 0 at the end of the stream.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (Start == End)
        {
            Start = End = 0;
        }
        else if (End == Buffer.Length)
        {
            if (Start == 0)
            {
                throw new UpstreamProtocolException("The response head is larger than the connection's buffer");
            }

            Buffer.AsSpan(Start, End - Start).CopyTo(Buffer);
            End -= Start;
            Start = 0;
        }

        var received = await socket.ReceiveAsync(Buffer.AsMemory(End), SocketFlags.None, cancellationToken);
        End += received;
        return received;
    }

    /// <summary>The attempt is over and the response was read to its end: ready for the next request, or false to drop it.</summary>
    public bool Recycle()
    {
        if (!Timeout.TryReset())
        {
            return false;
        }

        Reused = true;
        return Start == End;
    }

    public void Dispose()
    {
        socket.Dispose();
        Timeout.Dispose();
    }
}
