using System.Buffers.Text;

namespace Balancer.Web.Forwarding.Upstream;

/// <summary>
/// Finds the data of a chunked body (RFC 9112, section 7.1) in whatever bytes have arrived: each call
/// consumes framing or returns the next piece of data, so the body streams through without being
/// gathered. A struct, so a copy can look ahead (<see cref="TryMeasure"/>) without moving the original.
/// </summary>
internal struct ChunkedDecoder
{
    private const int MostLineBytes = 4096;
    private State state;
    private long remaining;

    private enum State
    {
        Size,
        Data,
        DataEnd,
        Trailers,
        Done,
    }

    public readonly bool IsDone => state == State.Done;

    /// <summary>
    /// Consumes what it can from the start of <paramref name="input"/>: framing, or one piece of data
    /// (<paramref name="data"/>, a slice of the input's first <paramref name="consumed"/> bytes).
    /// <paramref name="consumed"/> is 0 when more bytes are needed.
    /// </summary>
    /// <exception cref="UpstreamProtocolException">The framing is malformed.</exception>
    public void Advance(ReadOnlySpan<byte> input, out int consumed, out Range data)
    {
        data = default;
        consumed = 0;
        switch (state)
        {
            case State.Size:
                if (LineLength(input) is not { } sizeLine)
                {
                    return;
                }

                var digits = input[..sizeLine];
                var extension = digits.IndexOf((byte)';');
                if (extension >= 0)
                {
                    digits = digits[..extension];
                }

                if (!Utf8Parser.TryParse(digits.Trim(" \t"u8), out long size, out var used, 'X') || used != digits.Trim(" \t"u8).Length || size < 0)
                {
                    throw new UpstreamProtocolException("A chunk size is not a hexadecimal number");
                }

                consumed = sizeLine + 2;
                remaining = size;
                state = size == 0 ? State.Trailers : State.Data;
                return;
            case State.Data:
                var length = (int)Math.Min(remaining, input.Length);
                consumed = length;
                data = new Range(0, length);
                remaining -= length;
                if (remaining == 0)
                {
                    state = State.DataEnd;
                }

                return;
            case State.DataEnd:
                if (input.Length < 2)
                {
                    return;
                }

                if (input[0] != (byte)'\r' || input[1] != (byte)'\n')
                {
                    throw new UpstreamProtocolException("A chunk does not end with CRLF");
                }

                consumed = 2;
                state = State.Size;
                return;
            case State.Trailers:
                if (LineLength(input) is not { } trailerLine)
                {
                    return;
                }

                // Trailers are dropped: Kestrel's HTTP/1.1 response would need them declared up front.
                consumed = trailerLine + 2;
                if (trailerLine == 0)
                {
                    state = State.Done;
                }

                return;
            default:
                return;
        }
    }

    /// <summary>The body's total data length, when all of it (to the last chunk) is in <paramref name="input"/>.</summary>
    public readonly bool TryMeasure(ReadOnlySpan<byte> input, out long total)
    {
        var lookahead = this;
        total = 0;
        while (!lookahead.IsDone)
        {
            lookahead.Advance(input, out var consumed, out var data);
            if (consumed == 0)
            {
                return false;
            }

            total += data.GetOffsetAndLength(consumed).Length;
            input = input[consumed..];
        }

        return true;
    }

    private static int? LineLength(ReadOnlySpan<byte> input)
    {
        var end = input.IndexOf("\r\n"u8);
        if (end >= 0)
        {
            return end;
        }

        return input.Length > MostLineBytes ? throw new UpstreamProtocolException("A chunk line is too long") : null;
    }
}
