using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Balancer.Tests.Forwarding.Upstream;

/// <summary>
/// A replica on a raw loopback socket that answers every request head with bytes a test scripts, so a
/// test can send what Kestrel never would: a connection closed while idle, a garbled head, a body cut short.
/// </summary>
internal sealed class ScriptedReplica : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, IReadOnlyList<byte[]>> answer;
    private readonly bool closeAfterEachAnswer;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;
    private int requests;
    private int accepted;
    private int closedByPeer;

    /// <param name="answer">The writes that answer request number n (from 1); each write is sent on its own.</param>
    /// <param name="closeAfterEachAnswer">Close the connection after each answer, as a server whose idle timeout passed.</param>
    public ScriptedReplica(Func<int, IReadOnlyList<byte[]>> answer, bool closeAfterEachAnswer = false)
    {
        this.answer = answer;
        this.closeAfterEachAnswer = closeAfterEachAnswer;
        listener.Start();
        accepting = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

    public int Requests => Volatile.Read(ref requests);

    public int Accepted => Volatile.Read(ref accepted);

    /// <summary>Connections the balancer closed (the replica read the end of the stream).</summary>
    public int ClosedByBalancer => Volatile.Read(ref closedByPeer);

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var socket = await listener.AcceptSocketAsync(stopping.Token);
                Interlocked.Increment(ref accepted);
                connections.Add(ServeAsync(socket));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[8192];
            var pending = new List<byte>();
            try
            {
                while (true)
                {
                    var read = await socket.ReceiveAsync(buffer, SocketFlags.None, stopping.Token);
                    if (read == 0)
                    {
                        Interlocked.Increment(ref closedByPeer);
                        return;
                    }

                    pending.AddRange(buffer.AsSpan(0, read).ToArray());
                    var headEnd = IndexOfHeadEnd(pending);
                    if (headEnd < 0)
                    {
                        continue;
                    }

                    pending.RemoveRange(0, headEnd + 4);
                    foreach (var write in answer(Interlocked.Increment(ref requests)))
                    {
                        await socket.SendAsync(write, SocketFlags.None, stopping.Token);
                    }

                    if (closeAfterEachAnswer)
                    {
                        return;
                    }
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException)
            {
            }
        }
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        stopping.Dispose();
    }
}
