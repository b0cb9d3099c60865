using Akka.Actor;
using Akka.TestKit.Xunit2;
using Balancer.Actors.Runtime;
using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision;

public sealed class ReplicaSupervisorTests : TestKit
{
    private readonly FakeRuntime runtime = new();
    private readonly FakeProbe probe;

    public ReplicaSupervisorTests() => probe = new FakeProbe(runtime);

    private SupervisorHarness Start(int replicas = 3) =>
        new(Sys, runtime, probe, new SupervisorOptions { ReplicaSet = new ReplicaSetOptions { Replicas = replicas }, Heartbeat = SupervisorHarness.FastHeartbeats });

    private async Task<SupervisorHarness> StartServingAsync(int replicas = 3)
    {
        var harness = Start(replicas);
        await AwaitAssertAsync(() => Assert.Equal(replicas, harness.RingReplicas.Count), TimeSpan.FromSeconds(5));
        return harness;
    }

    [Fact]
    public async Task StartsTheConfiguredReplicasAndTheyJoinTheRing()
    {
        var harness = await StartServingAsync();

        Assert.Equal(["S1", "S2", "S3"], await harness.ListAsync());
        Assert.Equal(["S1", "S2", "S3"], harness.RingReplicas.Order());
        Assert.Equal(["S1", "S2", "S3"], runtime.Running.Order());
    }

    [Fact]
    public async Task ReplicasStartedTogetherJoinInStartOrderWhicheverServesFirst()
    {
        probe.Hold("S1");
        var harness = Start();
        await AwaitAssertAsync(() => Assert.Equal(3, runtime.Running.Count), TimeSpan.FromSeconds(5));
        await Task.Delay(300); // S2 and S3 serve meanwhile, but wait for S1
        Assert.Empty(harness.RingReplicas);

        probe.Release("S1");

        await AwaitAssertAsync(() => Assert.Equal(3, harness.RingReplicas.Count), TimeSpan.FromSeconds(5));
        var ring = Assert.IsType<Actors.Routing.RingSnapshot>(harness.Routing.Current.Snapshot);
        Assert.Equal(1, ring.ServerIds["S1"]);
        Assert.Equal(2, ring.ServerIds["S2"]);
        Assert.Equal(3, ring.ServerIds["S3"]);
    }

    [Fact]
    public async Task CrashIsFollowedByExactlyOneReplacementWithANewName()
    {
        var harness = await StartServingAsync();

        runtime.Crash("S2");

        await AwaitAssertAsync(async () =>
        {
            var listed = await harness.ListAsync();
            Assert.Equal(3, listed.Count);
            Assert.DoesNotContain("S2", listed);
            Assert.Equal(listed.Order(), harness.RingReplicas.Order());
        }, TimeSpan.FromSeconds(5));
        await Task.Delay(300);
        Assert.Equal(4, runtime.Starts.Count);
        Assert.Equal(3, runtime.Running.Count);
        var replacement = runtime.Starts.Last();
        Assert.StartsWith("r-", replacement);
        Assert.True(ReplicaNames.IsValid(replacement));
    }

    [Fact]
    public async Task HungReplicaIsDeclaredDeadAfterTheConfiguredMissesAndReplaced()
    {
        var harness = await StartServingAsync();
        var deaths = CreateTestProbe();
        Sys.EventStream.Subscribe(deaths.Ref, typeof(ReplicaDeathDetected));

        probe.Hang("S1");

        var death = await deaths.ExpectMsgAsync<ReplicaDeathDetected>(TimeSpan.FromSeconds(5));
        Assert.Equal("S1", death.Hostname);
        Assert.Contains("missed 3 heartbeats", death.Reason);
        await AwaitAssertAsync(async () =>
        {
            var listed = await harness.ListAsync();
            Assert.Equal(3, listed.Count);
            Assert.DoesNotContain("S1", listed);
        }, TimeSpan.FromSeconds(5));
        Assert.Contains("S1", runtime.Stops); // the hung process itself was stopped
    }

    [Fact]
    public async Task ExitAndMissedHeartbeatsForTheSameReplicaGiveOneReplacement()
    {
        var harness = await StartServingAsync();

        probe.Hang("S3");
        await Task.Delay(120); // a miss or two is already counted
        runtime.Crash("S3");

        await AwaitAssertAsync(async () => Assert.Equal(3, (await harness.ListAsync()).Count), TimeSpan.FromSeconds(5));
        await Task.Delay(500); // long enough for the misses to reach the threshold, had they still counted
        Assert.Equal(4, runtime.Starts.Count);
        Assert.Equal(3, (await harness.ListAsync()).Count);
        Assert.Equal(3, runtime.Running.Count);
    }

    [Fact]
    public async Task RemovedReplicaIsNotReplaced()
    {
        var harness = await StartServingAsync();

        var reply = await harness.RemoveAsync(1, "S2");

        Assert.Equal(["S1", "S3"], Assert.IsType<ReplicaSet>(reply).Replicas);
        await Task.Delay(400);
        Assert.Equal(["S1", "S3"], await harness.ListAsync());
        Assert.Equal(["S1", "S3"], harness.RingReplicas.Order());
        Assert.Equal(["S1", "S3"], runtime.Running.Order());
        Assert.Equal(3, runtime.Starts.Count);
    }

    [Fact]
    public async Task AddNamesTheFirstReplicasAndRandomisesTheRest()
    {
        var harness = await StartServingAsync();

        var reply = await harness.AddAsync(3, "S5", "s4");

        var listed = Assert.IsType<ReplicaSet>(reply).Replicas;
        Assert.Equal(6, listed.Count);
        Assert.Equal(["S1", "S2", "S3", "S5", "s4"], listed.Take(5));
        Assert.Equal(listed.Order(), harness.RingReplicas.Order());
        Assert.Equal(6, runtime.Running.Count);
    }

    [Fact]
    public async Task AddWhoseSecondReplicaFailsToStartLeavesTheSetAsBefore()
    {
        var harness = await StartServingAsync();
        runtime.FailStart = name => name == "B" ? new RuntimeUnavailableException("engine unreachable") : null;

        var reply = await harness.AddAsync(2, "A", "B");

        var rejected = Assert.IsType<AdminRejected>(reply);
        Assert.Equal(AdminErrorKind.RuntimeFailure, rejected.Kind);
        Assert.Contains("engine unreachable", rejected.Message);
        Assert.Equal(["S1", "S2", "S3"], await harness.ListAsync());
        Assert.Equal(["S1", "S2", "S3"], harness.RingReplicas.Order());
        Assert.Equal(["S1", "S2", "S3"], runtime.Running.Order());
        Assert.Contains("A", runtime.Stops);
    }

    [Fact]
    public async Task NameTakenInTheRuntimeIsAConflictAndChangesNothing()
    {
        var harness = await StartServingAsync();
        runtime.FailStart = name => name == "Foreign" ? new ReplicaNameConflictException("a container named 'Foreign' exists") : null;

        var reply = await harness.AddAsync(1, "Foreign");

        Assert.Equal(AdminErrorKind.NameConflict, Assert.IsType<AdminRejected>(reply).Kind);
        Assert.Equal(["S1", "S2", "S3"], await harness.ListAsync());
    }

    [Theory]
    [InlineData(1, new[] { "S1" }, "already exists")]
    [InlineData(2, new[] { "X", "x" }, "more than once")]
    [InlineData(1, new[] { "bad_name" }, "not a valid DNS label")]
    [InlineData(1, new[] { "A", "B" }, "Length of hostname list is more than newly added instances")]
    [InlineData(60, new string[0], "exceed")]
    public async Task InvalidAddIsRejectedAndChangesNothing(int count, string[] names, string expected)
    {
        var harness = await StartServingAsync();

        var reply = await harness.AddAsync(count, names);

        var rejected = Assert.IsType<AdminRejected>(reply);
        Assert.Equal(AdminErrorKind.InvalidRequest, rejected.Kind);
        Assert.Contains(expected, rejected.Message);
        Assert.Equal(["S1", "S2", "S3"], await harness.ListAsync());
        Assert.Equal(3, runtime.Starts.Count);
    }

    [Theory]
    [InlineData(1, new[] { "S9" }, "does not exist")]
    [InlineData(4, new string[0], "only 3 exist")]
    [InlineData(2, new[] { "S1", "s1" }, "more than once")]
    [InlineData(1, new[] { "S1", "S2" }, "Length of hostname list is more than removable instances")]
    public async Task InvalidRemoveIsRejectedAndChangesNothing(int count, string[] names, string expected)
    {
        var harness = await StartServingAsync();

        var reply = await harness.RemoveAsync(count, names);

        Assert.Contains(expected, Assert.IsType<AdminRejected>(reply).Message);
        Assert.Equal(["S1", "S2", "S3"], await harness.ListAsync());
        Assert.Empty(runtime.Stops);
    }

    [Fact]
    public async Task RacingAddsAndRemovesKeepTheSetConsistent()
    {
        var harness = await StartServingAsync();

        var requests = Enumerable.Range(0, 24).Select(index => index % 3 == 2
            ? harness.RemoveAsync(1)
            : harness.AddAsync(1 + index % 2)).ToArray();
        var replies = await Task.WhenAll(requests);

        var adds = replies.Where((reply, index) => index % 3 != 2 && reply is ReplicaSet).Count();
        Assert.All(replies, reply => Assert.IsType<ReplicaSet>(reply));
        await AwaitAssertAsync(async () =>
        {
            var listed = await harness.ListAsync();
            Assert.Equal(3 + 16 + 8 - 8, listed.Count); // 8 adds of 1, 8 adds of 2, 8 removes of 1
            Assert.Equal(listed.Order(), harness.RingReplicas.Order());
            Assert.Equal(listed.Order(), runtime.Running.Order());
        }, TimeSpan.FromSeconds(5));
        Assert.Equal(16, adds);
    }

    [Fact]
    public async Task RunningReplicasAreAdoptedAndNoneIsStarted()
    {
        var first = runtime.Preexisting("S1");
        runtime.Preexisting("keep-me");
        runtime.Preexisting("S3");

        var harness = Start();

        await AwaitAssertAsync(() => Assert.Equal(3, harness.RingReplicas.Count), TimeSpan.FromSeconds(5));
        Assert.Empty(runtime.Starts);
        Assert.Equal(["S1", "S3", "keep-me"], (await harness.ListAsync()).Order());
        Assert.Equal(first.InstanceId, runtime.Get("S1")!.InstanceId);
    }

    [Fact]
    public async Task AdoptionStartsOnlyWhatIsMissing()
    {
        runtime.Preexisting("S2");

        var harness = Start();

        await AwaitAssertAsync(() => Assert.Equal(3, harness.RingReplicas.Count), TimeSpan.FromSeconds(5));
        Assert.Equal(["S1", "S3"], runtime.Starts.Order());
    }

    [Fact]
    public async Task ShutdownStopsEveryReplicaAndReplacesNone()
    {
        var harness = await StartServingAsync();

        await harness.Supervisor.Ask<ReplicasShutDown>(ShutDownReplicas.Instance, TimeSpan.FromSeconds(5));

        Assert.Empty(runtime.Running);
        await Task.Delay(300);
        Assert.Equal(3, runtime.Starts.Count);
        Assert.IsType<AdminRejected>(await harness.AddAsync(1));
    }

    [Fact]
    public async Task ShutdownCanLeaveReplicasRunningForTheNextBalancer()
    {
        var harness = new SupervisorHarness(Sys, runtime, probe,
            new SupervisorOptions { Heartbeat = SupervisorHarness.FastHeartbeats, StopReplicasOnShutdown = false });
        await AwaitAssertAsync(() => Assert.Equal(3, harness.RingReplicas.Count), TimeSpan.FromSeconds(5));

        await harness.Supervisor.Ask<ReplicasShutDown>(ShutDownReplicas.Instance, TimeSpan.FromSeconds(5));

        Assert.Equal(["S1", "S2", "S3"], runtime.Running.Order());
        Assert.Empty(runtime.Stops);
    }
}
