using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Balancer.Actors.Routing;
using Balancer.Web.Api;
using Microsoft.AspNetCore.Http.Features;

namespace Balancer.Web.Forwarding.Upstream;

/// <summary>
/// Forwards a request without a body to a replica over a pooled HTTP/1.1 connection and copies the answer
/// through: status, headers (hop-by-hop ones excepted) and body, as read from the socket, with no request
/// or response message built in between. Same contract as the YARP path it stands in for: a 404 becomes
/// the spec's 400, <c>X-Replica</c> names the replica, a 5xx can be held back for a retry elsewhere, and a
/// failure before the answer started leaves the client's response untouched.
/// </summary>
internal sealed class UpstreamForwarder(UpstreamPools pools)
{
    // The async methods use pooled builders: once warm, an attempt allocates no state machine box.
    private static readonly Action<object?> CancelAttempt = static state => ((CancellationTokenSource)state!).Cancel();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<UpstreamResult> SendAsync(HttpContext context, ReplicaRoute route, TimeSpan timeout, bool holdBackServerErrors)
    {
        var pool = pools.For(route);
        var aborted = context.RequestAborted;
        // A pooled connection the replica closed while idle fails before any answer: try once more on a new one.
        for (var retryOnStale = true; ; retryOnStale = false)
        {
            UpstreamConnection? connection = retryOnStale ? pool.TryRent() : null;
            if (connection is null)
            {
                retryOnStale = false;
                try
                {
                    using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                    connectTimeout.CancelAfter(timeout);
                    connection = await UpstreamConnection.ConnectAsync(pool.Endpoint, connectTimeout.Token);
                }
                catch (Exception) when (aborted.IsCancellationRequested)
                {
                    return UpstreamResult.ClientCanceled;
                }
                catch (OperationCanceledException)
                {
                    return UpstreamResult.TimedOut;
                }
                catch (SocketException)
                {
                    return UpstreamResult.ConnectFailed;
                }
            }

            var result = await ExchangeAsync(context, connection, pool, timeout, holdBackServerErrors, aborted);
            if (result == Exchange.Stale && retryOnStale)
            {
                continue;
            }

            return result switch
            {
                Exchange.Stale => UpstreamResult.NoAnswer,
                _ => (UpstreamResult)result,
            };
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Exchange> ExchangeAsync(HttpContext context, UpstreamConnection connection, UpstreamPool pool, TimeSpan timeout,
        bool holdBackServerErrors, CancellationToken aborted)
    {
        var attempt = connection.Timeout;
        var reused = connection.Reused;
        var keep = false;
        var received = false;
        try
        {
            using (aborted.UnsafeRegister(CancelAttempt, attempt))
            {
                attempt.CancelAfter(timeout);
                await connection.SendHeadAsync(context, pool.Authority, attempt.Token);
                var headLength = 0;
                while (true)
                {
                    if (connection.Start != connection.End)
                    {
                        received = true;
                        headLength = connection.Head.TryParse(connection.Unread);
                        if (headLength > 0 && connection.Head.StatusCode is >= 100 and < 200 and not 101)
                        {
                            // An interim answer (100 Continue) is not the response: skip it.
                            connection.Start += headLength;
                            continue;
                        }

                        if (headLength > 0)
                        {
                            break;
                        }
                    }

                    if (await connection.ReceiveAsync(attempt.Token) == 0)
                    {
                        return received || !reused ? Exchange.NoAnswer : Exchange.Stale;
                    }
                }

                var head = connection.Head;
                if (head.StatusCode == StatusCodes.Status101SwitchingProtocols)
                {
                    throw new UpstreamProtocolException("The replica switched protocols on a plain GET");
                }

                connection.Start += headLength;
                if (head.StatusCode >= StatusCodes.Status500InternalServerError && holdBackServerErrors)
                {
                    // Nothing reaches the client; the connection is kept only if the small error body is here already.
                    keep = SkipBodyIfBuffered(connection, head);
                    return Exchange.ServerErrorHeldBack;
                }

                if (head.StatusCode == StatusCodes.Status404NotFound)
                {
                    keep = SkipBodyIfBuffered(connection, head);
                    await ApiResults.WriteFailureAsync(context, StatusCodes.Status400BadRequest,
                        $"'{context.Request.Path}' endpoint does not exist in server replicas");
                    return Exchange.Answered;
                }

                var copied = await CopyResponseAsync(context, connection, timeout, attempt, aborted);
                keep = copied == Exchange.Answered && head.KeepAlive;
                return copied;
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or IOException or UpstreamProtocolException
                                              or ObjectDisposedException)
        {
            if (aborted.IsCancellationRequested)
            {
                return Exchange.ClientCanceled;
            }

            if (context.Response.HasStarted)
            {
                context.Abort();
                return Exchange.FailedAfterStart;
            }

            if (exception is OperationCanceledException)
            {
                return Exchange.TimedOut;
            }

            return received || !reused || exception is UpstreamProtocolException ? Exchange.NoAnswer : Exchange.Stale;
        }
        finally
        {
            if (keep && connection.Recycle())
            {
                pool.Return(connection);
            }
            else
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>Status, headers and body to the client; the body streams, each read given the attempt's timeout again.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Exchange> CopyResponseAsync(HttpContext context, UpstreamConnection connection, TimeSpan timeout,
        CancellationTokenSource attempt, CancellationToken aborted)
    {
        var head = connection.Head;
        var response = context.Response;
        response.StatusCode = head.StatusCode;
        var headers = response.Headers;
        foreach (var (name, value) in head.Headers)
        {
            headers.Append(name, value);
        }

        if (context.Items[ReplicaResponseTransformer.ReplicaItem] is string hostname)
        {
            headers[ReplicaResponseTransformer.ReplicaHeader] = hostname;
        }

        var body = response.BodyWriter;
        switch (head.Framing)
        {
            case BodyFraming.None:
                return Exchange.Answered;
            case BodyFraming.ContentLength:
                response.ContentLength = head.ContentLength;
                for (var left = head.ContentLength; left > 0;)
                {
                    if (connection.Start == connection.End && await ReadMoreAsync(connection, timeout, attempt) == 0)
                    {
                        throw new IOException("The replica closed the connection inside the response body");
                    }

                    var piece = (int)Math.Min(left, connection.End - connection.Start);
                    left -= piece;
                    // Kestrel sends an unflushed last piece with the response's end only if nothing was flushed before.
                    if (await WriteAsync(body, connection, piece, flush: left > 0 || response.HasStarted, aborted))
                    {
                        return Exchange.ClientCanceled;
                    }
                }

                return Exchange.Answered;
            case BodyFraming.Chunked:
                return await CopyChunkedAsync(context, connection, timeout, attempt, aborted);
            default:
                while (connection.Start != connection.End || await ReadMoreAsync(connection, timeout, attempt) > 0)
                {
                    if (await WriteAsync(body, connection, connection.End - connection.Start, flush: true, aborted))
                    {
                        return Exchange.ClientCanceled;
                    }
                }

                return Exchange.Answered;
        }
    }

    /// <summary>
    /// Decodes the chunked body; one that arrived whole (a replica's usual small answer) goes out with a
    /// Content-Length, so the client reads it in one piece instead of re-chunked.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Exchange> CopyChunkedAsync(HttpContext context, UpstreamConnection connection, TimeSpan timeout,
        CancellationTokenSource attempt, CancellationToken aborted)
    {
        var decoder = new ChunkedDecoder();
        var whole = decoder.TryMeasure(connection.Unread, out var total);
        if (whole)
        {
            context.Response.ContentLength = total;
        }

        var body = context.Response.BodyWriter;
        while (!decoder.IsDone)
        {
            decoder.Advance(connection.Unread, out var consumed, out var data);
            if (consumed == 0)
            {
                if (await ReadMoreAsync(connection, timeout, attempt) == 0)
                {
                    throw new IOException("The replica closed the connection inside a chunked body");
                }

                continue;
            }

            var (offset, length) = data.GetOffsetAndLength(consumed);
            if (length > 0)
            {
                body.Write(connection.Buffer.AsSpan(connection.Start + offset, length));
            }

            connection.Start += consumed;
            // Streaming: what was decoded goes out before the next wait on the replica.
            if (!whole && connection.Start == connection.End && !decoder.IsDone && (await body.FlushAsync(aborted)).IsCanceled)
            {
                return Exchange.ClientCanceled;
            }
        }

        // A body that came whole goes out with the response's end, in one write with the head; Kestrel sends an
        // unflushed rest with the end only if nothing was flushed before.
        return context.Response.HasStarted && (await body.FlushAsync(aborted)).IsCanceled ? Exchange.ClientCanceled : Exchange.Answered;
    }

    /// <summary>Writes the next <paramref name="count"/> unread bytes to the client; true when the client is gone.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> WriteAsync(System.IO.Pipelines.PipeWriter body, UpstreamConnection connection, int count, bool flush,
        CancellationToken aborted)
    {
        body.Write(connection.Buffer.AsSpan(connection.Start, count));
        connection.Start += count;
        // An unflushed last piece goes out with the end of the response: one write for a small answer.
        return flush && (await body.FlushAsync(aborted)).IsCanceled;
    }

    private static ValueTask<int> ReadMoreAsync(UpstreamConnection connection, TimeSpan timeout, CancellationTokenSource attempt)
    {
        // An activity timeout, as YARP's: each wait on the replica gets the whole attempt timeout again.
        attempt.CancelAfter(timeout);
        return connection.ReceiveAsync(attempt.Token);
    }

    /// <summary>Consumes a body that is already in the buffer whole; false when it is not (the connection is dropped instead).</summary>
    private static bool SkipBodyIfBuffered(UpstreamConnection connection, ResponseHead head)
    {
        switch (head.Framing)
        {
            case BodyFraming.None:
                return true;
            case BodyFraming.ContentLength when head.ContentLength <= connection.End - connection.Start:
                connection.Start += (int)head.ContentLength;
                return true;
            case BodyFraming.Chunked:
                var decoder = new ChunkedDecoder();
                while (!decoder.IsDone)
                {
                    decoder.Advance(connection.Unread, out var consumed, out _);
                    if (consumed == 0)
                    {
                        return false;
                    }

                    connection.Start += consumed;
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary><see cref="UpstreamResult"/> plus the one outcome the caller resolves itself.</summary>
    private enum Exchange
    {
        Answered = UpstreamResult.Answered,
        ServerErrorHeldBack = UpstreamResult.ServerErrorHeldBack,
        NoAnswer = UpstreamResult.NoAnswer,
        TimedOut = UpstreamResult.TimedOut,
        ClientCanceled = UpstreamResult.ClientCanceled,
        FailedAfterStart = UpstreamResult.FailedAfterStart,

        /// <summary>A reused connection failed before any answer: most likely closed by the replica while idle.</summary>
        Stale = 100,
    }
}
