namespace Balancer.Web.Forwarding.Upstream;

/// <summary>
/// The strings of the header lines a connection saw last, by position: a replica sends the same headers
/// in the same order every time (only Date changes, once a second), so a pooled connection turns a
/// response's header bytes into strings without allocating for the ones it has seen.
/// </summary>
internal sealed class HeaderStrings
{
    private const int MostRemembered = 32;
    private readonly Entry?[] entries = new Entry?[MostRemembered];

    public (string Name, string Value) Get(int position, ReadOnlySpan<byte> line, int colon, ReadOnlySpan<byte> value)
    {
        if (position < MostRemembered && entries[position] is { } known && line.SequenceEqual(known.Line))
        {
            return (known.Name, known.Value);
        }

        var entry = new Entry(line.ToArray(), System.Text.Encoding.ASCII.GetString(line[..colon]), System.Text.Encoding.Latin1.GetString(value));
        if (position < MostRemembered)
        {
            entries[position] = entry;
        }

        return (entry.Name, entry.Value);
    }

    private sealed record Entry(byte[] Line, string Name, string Value);
}
