using Balancer.Web.Forwarding;
using FsCheck.Xunit;
using Microsoft.AspNetCore.Http;

namespace Balancer.Tests.Forwarding;

/// <summary>The id read from a query string without the query collection is the one the collection gives.</summary>
public sealed class RequestIdsPropertyTests
{
    private static readonly string[] Pieces = ["id", "ID", "Id", "x", "=", "&", "1", "42", "-7", "%31", "+", " ", "abc", "i%64", "idx", "9223372036854775808"];

    [Property(MaxTest = 1000)]
    public bool TheQueryIdIsWhatTheQueryCollectionSays(int seed)
    {
        var random = new Random(seed);
        var query = "?" + string.Concat(Enumerable.Range(0, random.Next(0, 10)).Select(_ => Pieces[random.Next(Pieces.Length)]));
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query.Replace(" ", "%20", StringComparison.Ordinal));

        var read = RequestIds.Read(context.Request);

        var expected = context.Request.Query.TryGetValue(RequestIds.QueryKey, out var values) && !string.IsNullOrWhiteSpace(values.ToString())
            ? RequestIds.Parse(values.ToString())
            : (long?)null;
        // Without an id the request gets a random six-digit one.
        return expected is { } id ? read == id : read is >= 100_000 and < 1_000_000;
    }
}
