using System.Diagnostics.Metrics;
using Balancer.Actors.Routing;
using Balancer.Actors.Supervision;
using Balancer.Tests.Routing;
using Balancer.Web.Management;
using Balancer.Web.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Balancer.Tests.Metrics;

public sealed class ReplicaGaugesTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly RoutingTablePublisher routing;
    private readonly StatusHistory history = new(new ReplicaEventLog(TimeProvider.System));
    private readonly SupervisorOptions supervisor = new();

    public ReplicaGaugesTests()
    {
        var map = new ConsistentHashMap();
        map.Add("S1");
        map.Add("S2");
        routing = new RoutingTablePublisher(TestTables.For(map.Current));
        _ = new ReplicaGauges(Meters, routing, history, new RingShares(), supervisor);
    }

    private IMeterFactory Meters => services.GetRequiredService<IMeterFactory>();

    [Fact]
    public void InFlightIsReadFromEachReplicasRoute()
    {
        using var inFlight = new MetricCollector<int>(Meters, BalancerMeter.Name, "lb.requests.in_flight");
        routing.Current.Replicas[1].InFlight.Increment();

        inFlight.RecordObservableInstruments();

        Assert.Equal([("S1", 0), ("S2", 1)], inFlight.GetMeasurementSnapshot().Select(m => ((string)m.Tags["replica"]!, m.Value)));
    }

    [Fact]
    public void RingSharesAreTheFractionOfRequestIdsEachReplicaGetsAndAddUpToOne()
    {
        using var shares = new MetricCollector<double>(Meters, BalancerMeter.Name, "lb.replica.ring_share");

        shares.RecordObservableInstruments();

        var measured = shares.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["replica"]!, m => m.Value);
        Assert.Equal(1.0, measured.Values.Sum(), 9);
        var table = routing.Current;
        var sampled = Enumerable.Range(100_000, 900_000).Count(id => table.RouteFor(id)!.Hostname == "S1") / 900_000.0;
        Assert.Equal(sampled, measured["S1"], 9);
    }

    [Fact]
    public void EachReplicaHasOneStateSeriesAtOneAndTheSupervisorsCountersAreExported()
    {
        using var states = new MetricCollector<int>(Meters, BalancerMeter.Name, "lb.replica.state");
        using var desired = new MetricCollector<int>(Meters, BalancerMeter.Name, "lb.replicas.desired");
        var now = DateTimeOffset.UnixEpoch;
        history.Record(now, new ReplicaStatusReport(2,
        [
            new ReplicaStatus("S1", ReplicaState.Serving, null, now),
            new ReplicaStatus("S2", ReplicaState.Draining, null, null),
            new ReplicaStatus("r-new", ReplicaState.Starting, null, null),
        ], false, false, now), routing.Current, new Dictionary<string, TallyReading>());

        states.RecordObservableInstruments();
        desired.RecordObservableInstruments();

        var current = states.GetMeasurementSnapshot().Where(m => m.Value == 1).Select(m => ((string)m.Tags["replica"]!, (string)m.Tags["state"]!));
        Assert.Equal([("S1", "serving"), ("S2", "draining"), ("r-new", "starting")], current);
        Assert.Equal(15, states.GetMeasurementSnapshot().Count);
        Assert.Equal(2, desired.LastMeasurement!.Value);
    }

    [Fact]
    public void SupervisorCountersAreObservedAsCounters()
    {
        using var replacements = new MetricCollector<long>(Meters, BalancerMeter.Name, "lb.replacements");
        supervisor.Counters.CountReplacement();
        supervisor.Counters.CountReplacement();

        replacements.RecordObservableInstruments();

        Assert.Equal(2, replacements.LastMeasurement!.Value);
    }

    public void Dispose() => services.Dispose();
}
