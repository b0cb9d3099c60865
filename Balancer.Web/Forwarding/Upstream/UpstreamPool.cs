using System.Diagnostics;
using System.Net;

namespace Balancer.Web.Forwarding.Upstream;

/// <summary>
/// The idle connections to one replica, newest on top. A connection is dropped once it is older than
/// <see cref="Lifetime"/> (a replacement may reuse the port) or idle longer than <see cref="IdleTimeout"/>.
/// </summary>
internal sealed class UpstreamPool(EndPoint endpoint, string authority) : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>More idle connections than clients ever wait on one replica at once are closed, not kept.</summary>
    private const int MostIdle = 256;

    private readonly Lock gate = new();
    private readonly Stack<UpstreamConnection> idle = new();
    private bool closed;

    public EndPoint Endpoint { get; } = endpoint;

    /// <summary>What the Host header of a forwarded request says: the replica's own authority.</summary>
    public string Authority { get; } = authority;

    public UpstreamConnection? TryRent()
    {
        var now = Stopwatch.GetTimestamp();
        while (true)
        {
            UpstreamConnection? connection;
            lock (gate)
            {
                if (!idle.TryPop(out connection))
                {
                    return null;
                }
            }

            if (!Expired(connection, now))
            {
                return connection;
            }

            connection.Dispose();
        }
    }

    public void Return(UpstreamConnection connection)
    {
        connection.IdleSince = Stopwatch.GetTimestamp();
        lock (gate)
        {
            if (!closed && idle.Count < MostIdle)
            {
                idle.Push(connection);
                return;
            }
        }

        connection.Dispose();
    }

    /// <summary>Closes the idle connections that expired; the stack's bottom holds the oldest.</summary>
    public void Trim()
    {
        var now = Stopwatch.GetTimestamp();
        List<UpstreamConnection>? expired = null;
        lock (gate)
        {
            if (idle.Count == 0 || !idle.Any(connection => Expired(connection, now)))
            {
                return;
            }

            var kept = idle.Where(connection => !Expired(connection, now)).Reverse().ToArray();
            expired = idle.Where(connection => Expired(connection, now)).ToList();
            idle.Clear();
            foreach (var connection in kept)
            {
                idle.Push(connection);
            }
        }

        expired.ForEach(connection => connection.Dispose());
    }

    /// <summary>The replica left the routing table: its idle connections close now, busy ones when their attempt ends.</summary>
    public void Dispose()
    {
        UpstreamConnection[] all;
        lock (gate)
        {
            closed = true;
            all = idle.ToArray();
            idle.Clear();
        }

        foreach (var connection in all)
        {
            connection.Dispose();
        }
    }

    private static bool Expired(UpstreamConnection connection, long now) =>
        Stopwatch.GetElapsedTime(connection.CreatedAt, now) > Lifetime || Stopwatch.GetElapsedTime(connection.IdleSince, now) > IdleTimeout;
}
