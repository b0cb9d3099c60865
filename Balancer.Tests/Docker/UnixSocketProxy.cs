using System.Net.Sockets;

namespace Balancer.Tests.Docker;

/// <summary>
/// Forwards a Unix socket of its own to the engine's, and can cut every connection and refuse new
/// ones for a while: how a test makes the engine look gone to a runtime without stopping the engine.
/// </summary>
internal sealed class UnixSocketProxy : IDisposable
{
    private readonly string target;
    private readonly Lock gate = new();
    private readonly List<Socket> open = [];
    private Socket? listener;

    public UnixSocketProxy(string targetSocketPath)
    {
        target = targetSocketPath;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lb-proxy-{Guid.NewGuid():N}.sock");
        Open();
    }

    public string Path { get; }

    public Uri Endpoint => new($"unix://{Path}");

    /// <summary>Accepts connections (again).</summary>
    public void Open()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path));
        socket.Listen();
        lock (gate)
        {
            listener = socket;
        }

        _ = AcceptAsync(socket);
    }

    /// <summary>Drops every open connection and refuses new ones until <see cref="Open"/>.</summary>
    public void Cut()
    {
        lock (gate)
        {
            listener?.Dispose();
            listener = null;
            foreach (var socket in open)
            {
                socket.Dispose();
            }

            open.Clear();
        }

        File.Delete(Path);
    }

    public void Dispose() => Cut();

    private async Task AcceptAsync(Socket socket)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync();
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return;
            }

            var engine = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await engine.ConnectAsync(new UnixDomainSocketEndPoint(target));
            }
            catch (SocketException)
            {
                client.Dispose();
                engine.Dispose();
                continue;
            }

            lock (gate)
            {
                open.Add(client);
                open.Add(engine);
            }

            _ = PumpAsync(client, engine);
            _ = PumpAsync(engine, client);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read));
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Cut, or the other side went away: the connection is over either way.
        }
    }
}
