using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Balancer.Actors.Supervision;

/// <summary>Replica hostnames: what a valid one is, and fresh random ones for replacements.</summary>
public static partial class ReplicaNames
{
    public const int MaxLength = 63;

    private const string RandomAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>
    /// A DNS label (RFC 1123: letters, digits, hyphens, no hyphen at either end, at most 63 characters),
    /// which is also a valid Docker container name and network alias.
    /// </summary>
    public static bool IsValid(string? hostname) =>
        hostname is { Length: > 0 and <= MaxLength } && DnsLabel().IsMatch(hostname);

    /// <summary>Whether the name looks like one <see cref="Random()"/> made (a replacement's, a spare's, an unnamed /add's).</summary>
    public static bool IsGenerated(string hostname) => GeneratedName().IsMatch(hostname);

    public static string Random() => "r-" + RandomNumberGenerator.GetString(RandomAlphabet, 8);

    /// <summary>A name from <paramref name="random"/> (a seeded one replays the same names).</summary>
    public static string Random(Random random) => "r-" + new string(random.GetItems(RandomAlphabet.AsSpan(), 8));

    /// <summary>A random name that none of <paramref name="taken"/> has (compared case-insensitively).</summary>
    public static string RandomExcept(IEnumerable<string> taken, Random? random = null)
    {
        var takenSet = new HashSet<string>(taken, StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            var name = random is null ? Random() : Random(random);
            if (!takenSet.Contains(name))
            {
                return name;
            }
        }
    }

    // \A and \z, not ^ and $: $ also matches before a final newline, and "S5\n" is no DNS label (nor an actor name).
    [GeneratedRegex(@"\A[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\z")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"\Ar-[a-z0-9]{8}\z")]
    private static partial Regex GeneratedName();
}
