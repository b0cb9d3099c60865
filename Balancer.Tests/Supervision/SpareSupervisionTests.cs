using Akka.Actor;
using Akka.TestKit.Xunit2;
using Balancer.Actors.Routing;
using Balancer.Actors.Runtime;
using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision;

/// <summary>Warm spares (Balancer:Spares) with the supervisor, the ring and a fake runtime.</summary>
public sealed class SpareSupervisionTests : TestKit
{
    private readonly FakeRuntime runtime = new();
    private readonly FakeProbe probe;
    private readonly SupervisorCounters counters = new();

    public SpareSupervisionTests() => probe = new FakeProbe(runtime);

    private SupervisorHarness Start(int replicas, int spares) =>
        new(Sys, runtime, probe, new SupervisorOptions
        {
            ReplicaSet = new ReplicaSetOptions { Replicas = replicas, Spares = spares },
            Heartbeat = SupervisorHarness.FastHeartbeats,
            Counters = counters,
        });

    private async Task<SupervisorHarness> StartWithReadySparesAsync(int replicas = 3, int spares = 1)
    {
        var harness = Start(replicas, spares);
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(replicas, harness.RingReplicas.Count);
            Assert.Equal(spares, (await SparesAsync(harness)).Ready.Count);
        }, TimeSpan.FromSeconds(5));
        return harness;
    }

    private static Task<SpareSet> SparesAsync(SupervisorHarness harness) =>
        harness.Supervisor.Ask<SpareSet>(GetSpares.Instance, TimeSpan.FromSeconds(5));

    [Fact]
    public async Task SparesRunAndServeOutsideTheRingAndOutsideRep()
    {
        var harness = await StartWithReadySparesAsync(spares: 2);

        var spares = await SparesAsync(harness);
        Assert.Equal(["S1", "S2", "S3"], await harness.ListAsync());
        Assert.Equal(["S1", "S2", "S3"], harness.RingReplicas.Order());
        Assert.Equal(spares.Ready.Concat(["S1", "S2", "S3"]).Order(), runtime.Running.Order());
        Assert.All(spares.Ready, spare => Assert.True(ReplicaNames.IsGenerated(spare), spare));
        Assert.Empty(spares.Starting);
        Assert.Equal(0, counters.Replacements);
    }

    [Fact]
    public async Task ADeadReplicasPlaceIsTakenByTheReadySpareAtOnceAndANewSpareStarts()
    {
        var harness = await StartWithReadySparesAsync();
        var spare = Assert.Single((await SparesAsync(harness)).Ready);
        var serverIdOfS2 = ((RingSnapshot)harness.Routing.Current.Snapshot).ServerIds["S2"];
        var promotions = CreateTestProbe();
        Sys.EventStream.Subscribe(promotions.Ref, typeof(SparePromoted));

        runtime.Crash("S2");

        var promoted = await promotions.ExpectMsgAsync<SparePromoted>(TimeSpan.FromSeconds(5));
        Assert.Equal((spare, "S2"), (promoted.Hostname, promoted.Replacing));
        Assert.Equal(["S1", "S3", spare], await harness.ListAsync());
        Assert.Equal(new[] { "S1", "S3", spare }.Order(), harness.RingReplicas.Order());
        // The ring gives the spare the lowest free server id: the one the dead replica had.
        Assert.Equal(serverIdOfS2, ((RingSnapshot)harness.Routing.Current.Snapshot).ServerIds[spare]);
        var refill = await AwaitSingleReadySpareAsync(harness);
        Assert.NotEqual(spare, refill);
        Assert.Equal(new[] { "S1", "S3", spare, refill }.Order(), runtime.Running.Order());
        Assert.Equal(5, runtime.Starts.Count); // S1-S3, the spare, its refill: no replacement was started for S2
        Assert.Equal((1, 1), (counters.SparePromotions, counters.Replacements));
    }

    [Fact]
    public async Task AHungReplicaIsReplacedByTheSpareOnceDeclaredDead()
    {
        var harness = await StartWithReadySparesAsync();
        var spare = Assert.Single((await SparesAsync(harness)).Ready);

        probe.Hang("S1");

        await AwaitAssertAsync(async () => Assert.Equal(["S2", "S3", spare], await harness.ListAsync()), TimeSpan.FromSeconds(5));
        Assert.Equal(new[] { "S2", "S3", spare }.Order(), harness.RingReplicas.Order());
        Assert.Contains("S1", runtime.Stops);
        await AwaitSingleReadySpareAsync(harness);
    }

    [Fact]
    public async Task ASpareStillStartingBecomesTheReplacementInsteadOfANewStart()
    {
        probe.HoldWhere = ReplicaNames.IsGenerated;
        var harness = Start(3, 1);
        await AwaitAssertAsync(async () => Assert.Single((await SparesAsync(harness)).Starting), TimeSpan.FromSeconds(5));
        await AwaitAssertAsync(() => Assert.Equal(3, harness.RingReplicas.Count), TimeSpan.FromSeconds(5));
        var starting = Assert.Single((await SparesAsync(harness)).Starting);

        runtime.Crash("S2");

        await AwaitAssertAsync(async () => Assert.Single((await SparesAsync(harness)).Starting, name => name != starting),
            TimeSpan.FromSeconds(5));
        Assert.Equal(["S1", "S3"], await harness.ListAsync());
        probe.HoldWhere = _ => false;
        await AwaitAssertAsync(async () => Assert.Equal(["S1", "S3", starting], await harness.ListAsync()), TimeSpan.FromSeconds(5));
        await AwaitSingleReadySpareAsync(harness);
        Assert.Equal(5, runtime.Starts.Count);
        Assert.Equal((0, 1), (counters.SparePromotions, counters.Replacements));
    }

    [Fact]
    public async Task ASpareThatDiesIsReplacedAsASpareAndTheSetIsUntouched()
    {
        var harness = await StartWithReadySparesAsync();
        var spare = Assert.Single((await SparesAsync(harness)).Ready);
        var joins = CreateTestProbe();
        Sys.EventStream.Subscribe(joins.Ref, typeof(ReplicaJoined));

        runtime.Crash(spare);

        var refill = await AwaitSingleReadySpareAsync(harness, except: spare);
        Assert.Equal(["S1", "S2", "S3"], await harness.ListAsync());
        Assert.Equal(["S1", "S2", "S3"], harness.RingReplicas.Order());
        Assert.Equal(new[] { "S1", "S2", "S3", refill }.Order(), runtime.Running.Order());
        await joins.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal((0, 0), (counters.SparePromotions, counters.Replacements));
    }

    [Fact]
    public async Task AddTakesItsUnnamedReplicasFromTheReadySparesFirst()
    {
        var harness = await StartWithReadySparesAsync(spares: 2);
        var spares = (await SparesAsync(harness)).Ready;

        var reply = await harness.AddAsync(4, "A");

        var listed = Assert.IsType<ReplicaSet>(reply).Replicas;
        Assert.Equal(7, listed.Count);
        Assert.Equal(["S1", "S2", "S3"], listed.Take(3));
        Assert.Contains("A", listed);
        Assert.All(spares, spare => Assert.Contains(spare, listed));
        Assert.Equal(listed.Order(), harness.RingReplicas.Order());
        // The named one and one more were started; the spares keep their names and are started once only.
        Assert.All(spares, spare => Assert.Single(runtime.Starts, spare));
        Assert.Equal(2, counters.SparePromotions);
        var refills = await AwaitReadySparesAsync(harness, 2);
        Assert.Empty(refills.Intersect(listed));
        Assert.Equal(9, runtime.Running.Count);
    }

    [Fact]
    public async Task AddOfAsManyReplicasAsThereAreSparesStartsNoneOfThem()
    {
        var harness = await StartWithReadySparesAsync(spares: 2);
        var spares = (await SparesAsync(harness)).Ready;
        var startsBefore = runtime.Starts.ToArray();

        var reply = await harness.AddAsync(2);

        Assert.Equal(["S1", "S2", "S3", .. spares], Assert.IsType<ReplicaSet>(reply).Replicas);
        // What started after the answer are the two refills, never a replica of the add.
        Assert.Empty(runtime.Starts.Skip(startsBefore.Length).Intersect(spares));
        await AwaitReadySparesAsync(harness, 2);
    }

    [Fact]
    public async Task AFailedAddGivesTheSparesItTookBackToTheSpares()
    {
        var harness = await StartWithReadySparesAsync();
        var spare = Assert.Single((await SparesAsync(harness)).Ready);
        runtime.FailStart = name => name == "B" ? new RuntimeUnavailableException("engine unreachable") : null;

        var reply = await harness.AddAsync(2, "B");

        Assert.Equal(AdminErrorKind.RuntimeFailure, Assert.IsType<AdminRejected>(reply).Kind);
        Assert.Equal(["S1", "S2", "S3"], await harness.ListAsync());
        Assert.Equal(["S1", "S2", "S3"], harness.RingReplicas.Order());
        Assert.Equal([spare], (await SparesAsync(harness)).Ready);
        Assert.DoesNotContain(spare, runtime.Stops);
        Assert.Equal(0, counters.SparePromotions);
    }

    [Fact]
    public async Task RemoveNeverPicksASpareAndASpareCannotBeNamed()
    {
        var harness = await StartWithReadySparesAsync(spares: 2);
        var spares = (await SparesAsync(harness)).Ready;

        var named = await harness.RemoveAsync(1, spares[0]);
        var all = await harness.RemoveAsync(3);

        Assert.Contains("does not exist", Assert.IsType<AdminRejected>(named).Message);
        Assert.Empty(Assert.IsType<ReplicaSet>(all).Replicas);
        Assert.Empty(harness.RingReplicas);
        Assert.Equal(spares, (await SparesAsync(harness)).Ready);
        Assert.Equal(spares.Order(), runtime.Running.Order());
        Assert.Contains("already exists", Assert.IsType<AdminRejected>(await harness.AddAsync(1, spares[1])).Message);
    }

    [Fact]
    public async Task ShutdownStopsTheSparesToo()
    {
        var harness = await StartWithReadySparesAsync(spares: 2);

        await harness.Supervisor.Ask<ReplicasShutDown>(ShutDownReplicas.Instance, TimeSpan.FromSeconds(5));

        Assert.Empty(runtime.Running);
        Assert.Equal(5, runtime.Stops.Count);
    }

    [Fact]
    public async Task AdoptionBeyondNMakesGeneratedNamesSparesAndNeverAConfiguredName()
    {
        foreach (var name in new[] { "S1", "S2", "S3", "keep-me", "r-abcdefgh" })
        {
            runtime.Preexisting(name);
        }

        var harness = Start(3, 1);

        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(["S1", "S2", "S3", "keep-me"], (await harness.ListAsync()).Order());
            Assert.Equal(["r-abcdefgh"], (await SparesAsync(harness)).Ready);
        }, TimeSpan.FromSeconds(5));
        Assert.Empty(runtime.Starts);
    }

    [Fact]
    public async Task AdoptionOfNoMoreThanNStartsTheSpares()
    {
        runtime.Preexisting("S1");
        runtime.Preexisting("r-abcdefgh");

        var harness = Start(3, 1);

        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(3, (await harness.ListAsync()).Count);
            Assert.Single((await SparesAsync(harness)).Ready);
        }, TimeSpan.FromSeconds(5));
        Assert.Contains("r-abcdefgh", await harness.ListAsync());
        Assert.Equal(2, runtime.Starts.Count); // S2 (the next configured name) and the spare
    }

    [Fact]
    public async Task WithoutSparesACrashIsCountedAsAReplacementAndAFailedStartAsOne()
    {
        var harness = Start(3, 0);
        await AwaitAssertAsync(() => Assert.Equal(3, harness.RingReplicas.Count), TimeSpan.FromSeconds(5));
        runtime.FailStart = name => ReplicaNames.IsGenerated(name) && runtime.Starts.Count(ReplicaNames.IsGenerated) == 1
            ? new RuntimeUnavailableException("engine unreachable")
            : null;

        runtime.Crash("S2");

        await AwaitAssertAsync(async () =>
        {
            var listed = await harness.ListAsync();
            Assert.Equal(3, listed.Count);
            Assert.DoesNotContain("S2", listed);
        }, TimeSpan.FromSeconds(5));
        Assert.Equal((2, 1, 0), (counters.Replacements, counters.FailedStarts, counters.SparePromotions));
    }

    private async Task<string> AwaitSingleReadySpareAsync(SupervisorHarness harness, string? except = null) =>
        Assert.Single(await AwaitReadySparesAsync(harness, 1, except));

    private async Task<IReadOnlyList<string>> AwaitReadySparesAsync(SupervisorHarness harness, int count, string? except = null)
    {
        IReadOnlyList<string> ready = [];
        await AwaitAssertAsync(async () =>
        {
            var spares = await SparesAsync(harness);
            ready = spares.Ready;
            Assert.Equal(count, ready.Count);
            Assert.Empty(spares.Starting);
            Assert.DoesNotContain(except, ready);
        }, TimeSpan.FromSeconds(5));
        return ready;
    }
}
