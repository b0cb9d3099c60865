using Balancer.Actors.Cluster;
using Balancer.Actors.Routing;
using Balancer.Actors.Runtime;

namespace Balancer.Tests.Cluster;

/// <summary>The replicated ring's inputs: server ids chosen once, adoption in place, and one table per input on every node.</summary>
public sealed class RingInputsTests
{
    private static readonly RoutingOptions Spec = new();

    [Fact]
    public void Joining_replicas_get_the_lowest_free_server_ids_and_a_replacement_takes_the_dead_ones()
    {
        var inputs = RingInputs.Empty.Joined([Replica("S1"), Replica("S2"), Replica("S3")]);
        Assert.Equal([1, 2, 3], inputs.Members.Select(member => member.ServerId));

        var replaced = inputs.Left(["S2"]).Joined([Replica("r-new")]);

        Assert.Equal(["S1", "S3", "r-new"], replaced.Members.Select(member => member.Hostname));
        Assert.Equal([1, 3, 2], replaced.Members.Select(member => member.ServerId));
        Assert.Equal(inputs.Version + 2, replaced.Version);
    }

    [Fact]
    public void A_member_joined_again_by_a_new_scheduler_keeps_its_place_and_id_with_its_new_address()
    {
        var inputs = RingInputs.Empty.Joined([Replica("S1"), Replica("S2")]);

        var adopted = inputs.Joined([new RunningReplica("s1", new Uri("http://10.0.0.9:5000"), "4242")]);

        Assert.Equal(["S1", "S2"], adopted.Members.Select(member => member.Hostname));
        Assert.Equal((1, new Uri("http://10.0.0.9:5000"), "4242"),
            (adopted.Members[0].ServerId, adopted.Members[0].Address, adopted.Members[0].InstanceId));
    }

    [Theory]
    [InlineData(RoutingStrategies.Spec)]
    [InlineData(RoutingStrategies.Maglev)]
    public void The_same_inputs_build_the_same_table_on_every_node(string strategy)
    {
        var options = Spec with { Strategy = strategy };
        // A history with a leave in the middle: a single node's incremental map depends on it, the inputs' table does not.
        var inputs = RingInputs.Empty.Joined([Replica("S1"), Replica("S2"), Replica("S3"), Replica("S4")]).Left(["S2"]).Joined([Replica("S5")]);

        var one = inputs.Build(() => RoutingStrategies.Create(options));
        var other = inputs.Build(() => RoutingStrategies.Create(options));

        Assert.Equal(Enumerable.Range(0, 1000).Select(id => one.Route(id)), Enumerable.Range(0, 1000).Select(id => other.Route(id)));
        Assert.Equal(RoutingFingerprint.Of(one), RoutingFingerprint.Of(other));
        Assert.Equal(16, RoutingFingerprint.Of(one).Length);
        Assert.NotEqual(RoutingFingerprint.Of(one), RoutingFingerprint.Of(inputs.Left(["S5"]).Build(() => RoutingStrategies.Create(options))));
    }

    [Fact]
    public void A_given_server_id_is_taken_once()
    {
        var pool = new ServerIdPool();

        Assert.Equal(3, pool.Take(3));
        Assert.Equal(1, pool.Take());
        Assert.Equal(2, pool.Take(2));
        Assert.Equal(4, pool.Take());
        Assert.Throws<ArgumentException>(() => pool.Take(3));
        Assert.Throws<ArgumentException>(() => pool.Take(0));
    }

    private static RunningReplica Replica(string hostname) =>
        new(hostname, new Uri($"http://{hostname.ToLowerInvariant()}:5000"), $"pid-{hostname}");
}
