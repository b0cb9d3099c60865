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

    private static string Refused(string path, byte[] body)
    {
        var tooMany = path == "/add" ? AdminRequestRules.TooManyToAdd : AdminRequestRules.TooManyToRemove;
        var request = AdminRequestParser.Parse(body, tooMany, out var error);

        Assert.Null(request);
        Assert.NotNull(error);
        return error;
    }
}
