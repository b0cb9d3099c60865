using System.Text.Json;
using System.Text.Unicode;
using Balancer.Actors.Supervision;

namespace Balancer.Web.Api;

/// <summary>
/// Reads the body of /add and /rm and checks its shape with <see cref="AdminRequestRules"/>; whether the
/// request fits the current set is the supervisor's to check.
/// </summary>
internal static class AdminRequestParser
{
    private const int MaxDepth = 8;

    /// <summary>Parses and checks a body; on failure returns null and the spec-shaped message.</summary>
    /// <param name="tooManyHostnames">The spec's message for more hostnames than n, which differs between /add and /rm.</param>
    public static AdminRequest? Parse(ReadOnlySpan<byte> body, string tooManyHostnames, out string? error)
    {
        // Checked before the JSON: the reader copes with bad bytes inside strings, and a string that does
        // not decode must be a 400 here, not an exception wherever it is read.
        if (!Utf8.IsValid(body))
        {
            return Fail("Request body is not valid UTF-8 text", out error);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException)
        {
            return Fail("Request body is not valid JSON; expected an object such as {\"n\": 1, \"hostnames\": [\"S5\"]}", out error);
        }

        using (document)
        {
            if (!StringsAreUnicode(body))
            {
                return Fail("Request body has a string that is not valid Unicode (an unpaired surrogate escape such as \\ud800)", out error);
            }

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

        if (AdminRequestRules.CheckCount(count) is { } badCount)
        {
            return Fail(badCount, out error);
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

        if (AdminRequestRules.CheckHostnames(count, hostnames, tooManyHostnames) is { } badHostnames)
        {
            return Fail(badHostnames, out error);
        }

        error = null;
        return new AdminRequest((int)count, hostnames);
    }

    /// <summary>
    /// Whether every string of valid UTF-8 JSON, names included, decodes: an escape of half a surrogate pair
    /// ("\ud800") is valid JSON syntax but no text. The reader offers no test other than decoding.
    /// </summary>
    private static bool StringsAreUnicode(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        while (reader.Read())
        {
            if ((reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName) && reader.ValueIsEscaped)
            {
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            }
        }

        return true;
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
}
