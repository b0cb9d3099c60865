using System.Text.Json;
using Balancer.Actors.Supervision;

namespace Balancer.Web.Api;

/// <summary>The body of /add and /rm: <c>{"n": 2, "hostnames": ["S5"]}</c>, validated whole.</summary>
internal sealed record AdminRequest(int Count, IReadOnlyList<string> Hostnames)
{
    /// <summary>Beyond this n is a mistake, whatever the map could hold.</summary>
    public const int AbsurdCount = 10_000;

    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Parses and checks a body; on failure returns null and the spec-shaped message.</summary>
    /// <param name="tooManyHostnames">The spec's message for more hostnames than n, which differs between /add and /rm.</param>
    public static AdminRequest? Parse(ReadOnlySpan<byte> body, string tooManyHostnames, out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            error = "Request body is not valid JSON; expected an object such as {\"n\": 1, \"hostnames\": [\"S5\"]}";
            return null;
        }

        using (document)
        {
            return Parse(document.RootElement, tooManyHostnames, out error);
        }
    }

    private static AdminRequest? Parse(JsonElement root, string tooManyHostnames, out string? error)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail($"Request body must be a JSON object, not {Describe(root.ValueKind)}", out error);
        }

        JsonElement? countElement = null;
        JsonElement? hostnamesElement = null;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "n" when countElement is null:
                    countElement = property.Value;
                    break;
                case "hostnames" when hostnamesElement is null:
                    hostnamesElement = property.Value;
                    break;
                case "n" or "hostnames":
                    return Fail($"Field '{property.Name}' appears more than once", out error);
                default:
                    return Fail($"Unknown field '{property.Name}'; expected 'n' and optionally 'hostnames'", out error);
            }
        }

        if (countElement is not { } countValue)
        {
            return Fail("Field 'n' is required", out error);
        }

        if (countValue.ValueKind != JsonValueKind.Number || !countValue.TryGetInt64(out var count))
        {
            return Fail("Field 'n' must be an integer", out error);
        }

        if (count <= 0)
        {
            return Fail("Field 'n' must be a positive integer", out error);
        }

        if (count > AbsurdCount)
        {
            return Fail($"Field 'n' is too large (at most {AbsurdCount})", out error);
        }

        var hostnames = new List<string>();
        if (hostnamesElement is { ValueKind: not JsonValueKind.Null } list)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                return Fail("Field 'hostnames' must be a list of strings", out error);
            }

            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    return Fail("Field 'hostnames' must be a list of strings", out error);
                }

                hostnames.Add(item.GetString()!);
            }
        }

        if (hostnames.Count > count)
        {
            return Fail(tooManyHostnames, out error);
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var hostname in hostnames)
        {
            if (!ReplicaNames.IsValid(hostname))
            {
                return Fail($"Hostname '{Printable(hostname)}' is not valid: use 1 to {ReplicaNames.MaxLength} letters, digits or inner hyphens", out error);
            }

            if (!seen.Add(hostname))
            {
                return Fail($"Hostname '{hostname}' appears more than once (names are compared without case)", out error);
            }
        }

        error = null;
        return new AdminRequest((int)count, hostnames);
    }

    private static AdminRequest? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>Echoes a bad name back without control characters or unbounded length.</summary>
    private static string Printable(string hostname)
    {
        var cleaned = new string(hostname.Select(character => char.IsControl(character) ? '?' : character).Take(80).ToArray());
        return hostname.Length > 80 ? cleaned + "..." : cleaned;
    }
}
