namespace Balancer.Actors.Supervision;

/// <summary>
/// What makes an /add or /rm acceptable, with one set of messages: the HTTP parser checks the shape of a
/// body (<see cref="CheckCount"/>, <see cref="CheckHostnames"/>) and the supervisor checks the whole request
/// against the current set (<see cref="CheckAdd"/>, <see cref="CheckRemove"/>). Each check returns null when
/// it passes, else the message the client gets.
/// </summary>
public static class AdminRequestRules
{
    /// <summary>Beyond this n is a mistake, whatever the map could hold.</summary>
    public const int AbsurdCount = 10_000;

    /// <summary>The spec's message for an /add with more hostnames than n.</summary>
    public const string TooManyToAdd = "Length of hostname list is more than newly added instances";

    /// <summary>The spec's message for an /rm with more hostnames than n.</summary>
    public const string TooManyToRemove = "Length of hostname list is more than removable instances";

    private const int EchoedNameLength = 80;

    public static string? CheckCount(long count) => count switch
    {
        <= 0 => "Field 'n' must be a positive integer",
        > AbsurdCount => $"Field 'n' is too large (at most {AbsurdCount})",
        _ => null,
    };

    /// <param name="tooMany">The spec's message for more hostnames than n: <see cref="TooManyToAdd"/> or <see cref="TooManyToRemove"/>.</param>
    public static string? CheckHostnames(long count, IReadOnlyList<string> hostnames, string tooMany)
    {
        if (hostnames.Count > count)
        {
            return tooMany;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var hostname in hostnames)
        {
            if (!ReplicaNames.IsValid(hostname))
            {
                return $"Hostname '{Printable(hostname)}' is not valid: not a valid DNS label " +
                    $"(use 1 to {ReplicaNames.MaxLength} letters, digits or inner hyphens)";
            }

            if (!seen.Add(hostname))
            {
                return $"Hostname '{hostname}' appears more than once (names are compared without case)";
            }
        }

        return null;
    }

    /// <param name="counted">Replicas that count towards N now (serving, or replacing one that died).</param>
    /// <param name="exists">Whether a replica of that name is in the set, joining it or leaving it.</param>
    public static string? CheckAdd(AddReplicas request, int counted, int maxReplicas, Func<string, bool> exists)
    {
        if ((CheckCount(request.Count) ?? CheckHostnames(request.Count, request.Hostnames, TooManyToAdd)) is { } shape)
        {
            return shape;
        }

        if (counted + request.Count > maxReplicas)
        {
            return $"Adding {request.Count} replicas to {counted} would exceed the most the hash map can hold ({maxReplicas})";
        }

        return request.Hostnames.FirstOrDefault(exists) is { } taken ? $"Hostname '{taken}' already exists" : null;
    }

    /// <param name="listed">Replicas in the set now (what /rep lists).</param>
    /// <param name="isListed">Whether a replica of that name is in the set.</param>
    public static string? CheckRemove(RemoveReplicas request, int listed, Func<string, bool> isListed)
    {
        if ((CheckCount(request.Count) ?? CheckHostnames(request.Count, request.Hostnames, TooManyToRemove)) is { } shape)
        {
            return shape;
        }

        if (request.Count > listed)
        {
            return $"Cannot remove {request.Count} replicas: only {listed} exist";
        }

        return request.Hostnames.FirstOrDefault(name => !isListed(name)) is { } missing ? $"Hostname '{missing}' does not exist" : null;
    }

    /// <summary>Echoes a bad name back without control characters or unbounded length.</summary>
    private static string Printable(string hostname)
    {
        var cleaned = new string(hostname.Select(character => char.IsControl(character) ? '?' : character).Take(EchoedNameLength).ToArray());
        return hostname.Length > EchoedNameLength ? cleaned + "..." : cleaned;
    }
}
