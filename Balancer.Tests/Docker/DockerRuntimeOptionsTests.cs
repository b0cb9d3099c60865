using Balancer.Actors.Runtime.Docker;

namespace Balancer.Tests.Docker;

public sealed class DockerRuntimeOptionsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a=b")]
    public void AnInstanceIdThatCannotBeALabelFilterIsRejected(string instanceId)
    {
        var options = new DockerRuntimeOptions { InstanceId = instanceId };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void TheDefaultsMatchTheImageScriptAndTheReplicaPort()
    {
        var options = new DockerRuntimeOptions { InstanceId = "lb1" };

        Assert.Equal("lb-replica:latest", options.Image);
        Assert.Equal(5000, options.ContainerPort);
        Assert.Equal(["localhost", "balancer"], options.ReservedHostnames);
    }

    [Theory]
    [InlineData("2025-05-20T10:00:00.123456789Z", "1747735200.123456700")]
    [InlineData("2025-05-20T10:00:00Z", "1747735200.000000000")]
    [InlineData("2025-05-20T12:00:00.5+02:00", "1747735200.500000000")]
    public void TheEngineClockBecomesAnEventSinceValue(string engineTime, string since)
    {
        Assert.Equal(since, EngineTime.ToSince(engineTime));
    }

    [Fact]
    public void OnlyBothLabelsMakeAContainerThisInstancesOwn()
    {
        Assert.True(DockerLabels.BelongTo(DockerLabels.ForReplica("lb1", "S1"), "lb1"));
        Assert.False(DockerLabels.BelongTo(DockerLabels.ForReplica("lb2", "S1"), "lb1"));
        Assert.False(DockerLabels.BelongTo(new Dictionary<string, string> { [DockerLabels.Instance] = "lb1" }, "lb1"));
        Assert.False(DockerLabels.BelongTo(null, "lb1"));
    }
}
