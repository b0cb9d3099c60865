using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision;

/// <summary>
/// The checks of a whole /add or /rm against the set (here S1, S2, S3 of at most 56), with the messages the
/// balancer answers; the shape checks are the ones the HTTP parser applies (Api/AdminRequestParserTests).
/// </summary>
public sealed class AdminRequestRulesTests
{
    private static readonly HashSet<string> Set = new(["S1", "S2", "S3"], StringComparer.OrdinalIgnoreCase);

    [Theory]
    [InlineData(100, new string[0], "would exceed")]
    [InlineData(1, new[] { "S2" }, "already exists")]
    [InlineData(1, new[] { "s2" }, "already exists")]
    [InlineData(2, new[] { "S5", "S5" }, "more than once")]
    [InlineData(1, new[] { "bad_name" }, "is not valid")]
    [InlineData(0, new string[0], "positive integer")]
    public void AddThatDoesNotFitTheSetIsRefused(int count, string[] hostnames, string expected)
    {
        var error = AdminRequestRules.CheckAdd(new AddReplicas(count, hostnames), Set.Count, 56, Set.Contains);

        Assert.NotNull(error);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData(1, new[] { "S9" }, "does not exist")]
    [InlineData(4, new string[0], "only 3 exist")]
    [InlineData(2, new[] { "S1", "s1" }, "more than once")]
    [InlineData(0, new string[0], "positive integer")]
    public void RemoveThatDoesNotFitTheSetIsRefused(int count, string[] hostnames, string expected)
    {
        var error = AdminRequestRules.CheckRemove(new RemoveReplicas(count, hostnames), Set.Count, Set.Contains);

        Assert.NotNull(error);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void MoreHostnamesThanNIsTheSpecsMessageOfEachEndpoint()
    {
        Assert.Equal("Length of hostname list is more than newly added instances",
            AdminRequestRules.CheckAdd(new AddReplicas(1, ["A", "B"]), Set.Count, 56, Set.Contains));
        Assert.Equal("Length of hostname list is more than removable instances",
            AdminRequestRules.CheckRemove(new RemoveReplicas(1, ["S1", "S2"]), Set.Count, Set.Contains));
    }

    [Fact]
    public void ShapeIsCheckedBeforeTheSet()
    {
        var error = AdminRequestRules.CheckAdd(new AddReplicas(100, ["S1", "bad_name"]), Set.Count, 56, Set.Contains);

        Assert.Contains("'bad_name' is not valid", error);
    }

    [Theory]
    [InlineData(2, new[] { "S5", "s4" })]
    [InlineData(53, new string[0])]
    public void AddThatFitsPasses(int count, string[] hostnames)
    {
        Assert.Null(AdminRequestRules.CheckAdd(new AddReplicas(count, hostnames), Set.Count, 56, Set.Contains));
    }

    [Theory]
    [InlineData("S5\n")]
    [InlineData("S5\r\n")]
    [InlineData("\nS5")]
    public void NameWithALineBreakIsNoDnsLabel(string hostname)
    {
        Assert.False(ReplicaNames.IsValid(hostname));
        Assert.Contains("is not valid", AdminRequestRules.CheckHostnames(1, [hostname], AdminRequestRules.TooManyToAdd));
    }
}
