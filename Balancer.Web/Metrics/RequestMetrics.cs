using System.Diagnostics.Metrics;

namespace Balancer.Web.Metrics;

/// <summary>
/// The per-request instruments: forwarded requests by replica and status class, their duration by
/// replica, and admin requests by endpoint and status. Recorded once per client request (after its
/// failovers), so the counts are what clients saw.
/// </summary>
internal sealed class RequestMetrics
{
    // Prometheus' customary latency buckets, finer below 100 ms where a healthy replica answers.
    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> forwarded;
    private readonly Histogram<double> duration;
    private readonly Counter<long> admin;
    private readonly ReplicaTallies tallies;

    public RequestMetrics(IMeterFactory meters, ReplicaTallies tallies)
    {
        this.tallies = tallies;
        var meter = meters.Create(BalancerMeter.Name);
        forwarded = meter.CreateCounter<long>("lb.requests", "{request}",
            "Requests on replica paths, by the replica that answered last (none: no replica tried) and status class");
        duration = meter.CreateHistogram("lb.request.duration", "s", "Time from a request's arrival to its answer, failovers included, by replica",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        admin = meter.CreateCounter<long>("lb.admin.requests", "{request}", "Admin requests (/rep, /add, /rm) by endpoint and status code");
    }

    public void RecordForwarded(string? replica, int status, double seconds)
    {
        var name = replica ?? BalancerMeter.NoReplica;
        forwarded.Add(1, new(BalancerMeter.ReplicaTag, name), new("status_class", StatusClass.Of(status)));
        duration.Record(seconds, new KeyValuePair<string, object?>(BalancerMeter.ReplicaTag, name));
        if (replica is not null)
        {
            tallies.For(replica).Record(status, seconds);
        }
    }

    public void RecordAdmin(string endpoint, int status) =>
        admin.Add(1, new("endpoint", endpoint), new("status_code", status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
