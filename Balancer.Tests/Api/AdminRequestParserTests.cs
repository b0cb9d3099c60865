using System.Text;
using Balancer.Actors.Supervision;
using Balancer.Web.Api;

namespace Balancer.Tests.Api;

/// <summary>The body of /add and /rm, parsed in-process: every way a body can be wrong, and the message that says so.</summary>
public sealed class AdminRequestParserTests
{
    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "/add", "", "not valid JSON" },
        { "/add", "{\"n\":1", "not valid JSON" },
        { "/add", "n=1", "not valid JSON" },
        { "/add", "[1]", "must be a JSON object" },
        { "/add", "\"S5\"", "must be a JSON object" },
        { "/add", "{}", "'n' is required" },
        { "/add", "{\"hostnames\":[\"S5\"]}", "'n' is required" },
        { "/add", "{\"n\":\"2\"}", "'n' must be an integer" },
        { "/add", "{\"n\":1.5}", "'n' must be an integer" },
        { "/add", "{\"n\":true}", "'n' must be an integer" },
        { "/add", "{\"n\":0}", "positive integer" },
        { "/add", "{\"n\":-3}", "positive integer" },
        { "/add", "{\"n\":99999999999999999999}", "'n' must be an integer" },
        { "/add", "{\"n\":1000000}", "too large" },
        { "/add", "{\"n\":1,\"hostnames\":\"S5\"}", "must be a list of strings" },
        { "/add", "{\"n\":1,\"hostnames\":[5]}", "must be a list of strings" },
        { "/add", "{\"n\":1,\"hostnames\":[null]}", "must be a list of strings" },
        { "/add", "{\"n\":2,\"hostnames\":[\"S7\",\"s7\"]}", "more than once" },
        { "/add", "{\"n\":1,\"hostnames\":[\"bad_name\"]}", "is not valid" },
        { "/add", "{\"n\":1,\"hostnames\":[\"-x\"]}", "is not valid" },
        { "/add", "{\"n\":1,\"hostnames\":[\"\"]}", "is not valid" },
        { "/add", "{\"n\":1,\"hostnames\":[\"a.b\"]}", "is not valid" },
        { "/add", "{\"n\":1,\"hostnames\":[\"../etc\"]}", "is not valid" },
        { "/add", $"{{\"n\":1,\"hostnames\":[\"{new string('a', 64)}\"]}}", "is not valid" },
        { "/add", "{\"n\":1,\"extra\":true}", "Unknown field 'extra'" },
        { "/rm", "not json", "not valid JSON" },
        { "/rm", "{\"n\":2,\"hostnames\":[\"S1\",\"s1\"]}", "more than once" },
        { "/rm", "{\"n\":0}", "positive integer" },
        { "/rm", "{\"hostnames\":[\"S1\"]}", "'n' is required" },
    };

    /// <summary>A name with a line break or other control character is no DNS label, at the end of the name too.</summary>
    public static TheoryData<string> NamesWithControlCharacters => new()
    {
        "S5\\n",
        "S5\\r\\n",
        "\\nS5",
        "S5\\r",
        "S5\\t",
        "S5\\u0000",
        "S5\\u0085",
    };

    /// <summary>Bodies that are not UTF-8 text: bytes no UTF-8 encoder writes, inside a string or outside one.</summary>
    public static TheoryData<string, byte[]> NotUtf8 => new()
    {
        { "invalid byte in a hostname", Bytes("{\"n\":1,\"hostnames\":[\"S", 0xFF, "\"]}") },
        { "invalid byte outside strings", Bytes("{\"n\":1", 0xFF, "}") },
        { "truncated sequence", Bytes("{\"n\":1,\"hostnames\":[\"S", 0xC3, "\"]}") },
        { "overlong encoding of '/'", Bytes("{\"n\":1,\"hostnames\":[\"", 0xC0, 0xAF, "\"]}") },
        { "encoded surrogate", Bytes("{\"n\":1,\"hostnames\":[\"", 0xED, 0xA0, 0x80, "\"]}") },
        { "in a field name", Bytes("{\"", 0xFE, "\":1}") },
    };

    /// <summary>Valid UTF-8 and valid JSON syntax, but a string whose escapes name half a surrogate pair.</summary>
    public static TheoryData<string> UnpairedSurrogateEscapes => new()
    {
        "{\"n\":1,\"hostnames\":[\"\\ud800\"]}",
        "{\"n\":1,\"hostnames\":[\"\\udc00\"]}",
        "{\"n\":1,\"hostnames\":[\"S5\\ud800x\"]}",
        "{\"n\":1,\"hostnames\":[\"\\ud800\\ud800\"]}",
        "{\"\\ud800\":1}",
        "{\"n\":1,\"hostnames\":[\"S5\"],\"extra\":{\"deep\":[\"\\udfff\"]}}",
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public void BadBodyIsRefusedWithAMessageThatSaysWhy(string path, string json, string expected)
    {
        var error = Refused(path, Encoding.UTF8.GetBytes(json));

        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("/add", AdminRequestRules.TooManyToAdd)]
    [InlineData("/rm", AdminRequestRules.TooManyToRemove)]
    public void MoreHostnamesThanNIsTheSpecErrorOfThatEndpoint(string path, string expected)
    {
        var error = Refused(path, """{"n":2,"hostnames":["S5","S4","S10","S11"]}"""u8.ToArray());

        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("""{"n":2,"hostnames":["S5"]}""", 2, new[] { "S5" })]
    [InlineData("""{"n":3,"hostnames":["S5","s4","r-1"]}""", 3, new[] { "S5", "s4", "r-1" })]
    [InlineData("""{"n":1}""", 1, new string[0])]
    [InlineData("""{"n":1,"hostnames":null}""", 1, new string[0])]
    [InlineData("""{"hostnames":[],"n":10000}""", 10000, new string[0])]
    public void GoodBodyGivesTheCountAndTheNames(string json, int count, string[] hostnames)
    {
        var request = AdminRequestParser.Parse(Encoding.UTF8.GetBytes(json), AdminRequestRules.TooManyToAdd, out var error);

        Assert.Null(error);
        Assert.NotNull(request);
        Assert.Equal(count, request.Count);
        Assert.Equal(hostnames, request.Hostnames);
    }

    [Theory]
    [MemberData(nameof(NamesWithControlCharacters))]
    public void HostnameWithAControlCharacterIsNotValidAndIsEchoedPrintably(string escapedName)
    {
        var error = Refused("/add", Encoding.UTF8.GetBytes($"{{\"n\":1,\"hostnames\":[\"{escapedName}\"]}}"));

        Assert.Contains("is not valid", error);
        Assert.DoesNotContain(error, character => char.IsControl(character));
    }

    [Fact]
    public void HostnameWithATrailingNewlineIsNamedInTheMessage()
    {
        var error = Refused("/add", """{"n":1,"hostnames":["S5\n"]}"""u8.ToArray());

        Assert.StartsWith("Hostname 'S5?' is not valid", error);
    }

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public void BodyThatIsNotUtf8IsRefused(string _, byte[] body)
    {
        var error = Refused("/add", body);

        Assert.Equal("Request body is not valid UTF-8 text", error);
    }

    [Theory]
    [MemberData(nameof(UnpairedSurrogateEscapes))]
    public void StringWithAnUnpairedSurrogateEscapeIsRefusedWherever(string json)
    {
        var error = Refused("/rm", Encoding.UTF8.GetBytes(json));

        Assert.Contains("not valid Unicode", error);
    }

    [Fact]
    public void SurrogatePairEscapeIsTextAndOnlyTheNameIsWrong()
    {
        var error = Refused("/add", """{"n":1,"hostnames":["\ud83d\ude00"]}"""u8.ToArray());

        Assert.Contains("is not valid", error);
        Assert.Contains("\U0001F600", error);
    }

    private static string Refused(string path, byte[] body)
    {
        var tooMany = path == "/add" ? AdminRequestRules.TooManyToAdd : AdminRequestRules.TooManyToRemove;
        var request = AdminRequestParser.Parse(body, tooMany, out var error);

        Assert.Null(request);
        Assert.NotNull(error);
        return error;
    }

    private static byte[] Bytes(params object[] parts) =>
        parts.SelectMany(part => part is string text ? Encoding.UTF8.GetBytes(text) : [Convert.ToByte(part)]).ToArray();
}
