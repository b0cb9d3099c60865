using System.Globalization;
using System.Text.RegularExpressions;

namespace Balancer.Actors.Runtime.Docker;

/// <summary>Turns the engine's clock reading (RFC 3339 with up to nanoseconds) into an event-stream <c>since</c> value.</summary>
internal static partial class EngineTime
{
    public static string ToSince(string engineTime)
    {
        // .NET parses at most 7 fractional digits (100 ns ticks); the engine writes up to 9.
        var parsable = ExtraFractionDigits().Replace(engineTime, "$1");
        var time = DateTimeOffset.Parse(parsable, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var ticksSinceEpoch = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = ticksSinceEpoch / TimeSpan.TicksPerSecond;
        var nanoseconds = ticksSinceEpoch % TimeSpan.TicksPerSecond * 100;
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{nanoseconds:D9}");
    }

    [GeneratedRegex(@"(\.\d{7})\d+")]
    private static partial Regex ExtraFractionDigits();
}
