using System.Diagnostics.Metrics;
using Balancer.Web.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Balancer.Tests.Metrics;

public sealed class RequestMetricsTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory Meters => services.GetRequiredService<IMeterFactory>();

    [Fact]
    public void AForwardedRequestIsCountedByReplicaAndStatusClassAndTimedInSeconds()
    {
        using var requests = new MetricCollector<long>(Meters, BalancerMeter.Name, "lb.requests");
        using var durations = new MetricCollector<double>(Meters, BalancerMeter.Name, "lb.request.duration");
        var tallies = new ReplicaTallies();
        var metrics = new RequestMetrics(Meters, tallies);

        metrics.RecordForwarded("S1", 200, 0.004);
        metrics.RecordForwarded("S1", 503, 0.5);
        metrics.RecordForwarded(null, 503, 0.001);

        Assert.Equal(
            [("S1", "2xx", 1L), ("S1", "5xx", 1L), ("none", "5xx", 1L)],
            requests.GetMeasurementSnapshot().Select(m => ((string)m.Tags["replica"]!, (string)m.Tags["status_class"]!, m.Value)));
        Assert.Equal([0.004, 0.5, 0.001], durations.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Equal("s", durations.Instrument!.Unit);
        var tally = tallies.ReadAll()["S1"];
        Assert.Equal((2L, 1L), (tally.Requests, tally.ServerErrors));
    }

    [Fact]
    public void AnAdminRequestIsCountedByEndpointAndStatusCode()
    {
        using var admin = new MetricCollector<long>(Meters, BalancerMeter.Name, "lb.admin.requests");
        var metrics = new RequestMetrics(Meters, new ReplicaTallies());

        metrics.RecordAdmin("add", 409);

        var measurement = Assert.Single(admin.GetMeasurementSnapshot());
        Assert.Equal(("add", "409", 1L), ((string)measurement.Tags["endpoint"]!, (string)measurement.Tags["status_code"]!, measurement.Value));
    }

    public void Dispose() => services.Dispose();
}
