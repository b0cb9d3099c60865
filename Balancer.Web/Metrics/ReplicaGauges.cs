using System.Diagnostics.Metrics;
using Balancer.Actors.Routing;
using Balancer.Actors.Supervision;
using Balancer.Web.Management;

namespace Balancer.Web.Metrics;

/// <summary>
/// The instruments read at scrape time: per replica from the published routing table (in flight, ring
/// share, the data path's health counters) and from the supervisor's latest report (state), and the
/// supervisor's own counters. Nothing here waits on an actor: the report is the sampler's, at most a second old.
/// </summary>
internal sealed class ReplicaGauges
{
    private static readonly ReplicaState[] States = Enum.GetValues<ReplicaState>();

    private readonly RoutingTablePublisher routing;
    private readonly StatusHistory history;
    private readonly RingShares shares;

    public ReplicaGauges(IMeterFactory meters, RoutingTablePublisher routing, StatusHistory history, RingShares shares, SupervisorOptions supervisor)
    {
        this.routing = routing;
        this.history = history;
        this.shares = shares;
        var meter = meters.Create(BalancerMeter.Name);

        meter.CreateObservableGauge("lb.requests.in_flight", () => PerRoute(route => route.InFlight.Value), "{request}",
            "Requests forwarded to the replica and not finished yet, failover attempts included");
        meter.CreateObservableGauge("lb.replica.ring_share", RingShare, null,
            "Fraction of the key space (six-digit request ids) the routing strategy sends to the replica");
        meter.CreateObservableGauge("lb.replica.state", ReplicaStateSeries, null,
            "1 for the replica's current state (starting, serving, ejected, draining, spare), 0 for the others");
        // Issue 16: the nodes of a cluster build their tables on their own; the same fingerprint means the same routing.
        meter.CreateObservableGauge("lb.routing_table.info",
            () => new Measurement<int>(1, new KeyValuePair<string, object?>("fingerprint", routing.Current.Fingerprint),
                new KeyValuePair<string, object?>("version", routing.Current.Version)),
            null, "1, labelled with the fingerprint (a hash of slot -> replica) and version of the routing table this node routes by");
        meter.CreateObservableGauge("lb.replicas.desired", () => history.LatestReport?.Desired ?? 0, "{replica}",
            "N: the serving replicas the balancer keeps");
        meter.CreateObservableGauge("lb.replicas.serving", () => Count(ReplicaState.Serving, ReplicaState.Ejected), "{replica}",
            "Replicas in the ring (ejected ones included)");
        meter.CreateObservableGauge("lb.replicas.spare", () => Count(ReplicaState.Spare), "{replica}",
            "Warm spares ready to take a dead replica's place");

        meter.CreateObservableCounter("lb.attempts.failed", () => PerRoute(route => route.Health.FailedAttempts), "{attempt}",
            "Attempts on the replica that failed: refused, reset, timed out, or a 5xx where those count");
        meter.CreateObservableCounter("lb.retries", () => PerRoute(route => route.Health.RetriedElsewhere), "{request}",
            "Requests that failed on the replica and were tried on the next one (failovers)");
        meter.CreateObservableCounter("lb.attempts.abandoned", () => PerRoute(route => route.Health.AbandonedAttempts), "{attempt}",
            "Attempts abandoned at the adaptive timeout: far slower than the replica's recent latency");
        meter.CreateObservableCounter("lb.ejections", () => PerRoute(route => route.Health.Ejections), "{ejection}",
            "Times routing ejected the replica after failed requests");
        meter.CreateObservableCounter("lb.readmissions", () => PerRoute(route => route.Health.Readmissions), "{readmission}",
            "Times an ejected replica was readmitted after a trial request succeeded");

        var counters = supervisor.Counters;
        meter.CreateObservableCounter("lb.replacements", () => counters.Replacements, "{replica}",
            "Replicas started to replace one that died or failed to start");
        meter.CreateObservableCounter("lb.failed_starts", () => counters.FailedStarts, "{replica}",
            "Replicas that never served: launch failed, no good heartbeat in time, or exited first");
        meter.CreateObservableCounter("lb.heartbeat_failures", () => counters.HeartbeatFailures, "{heartbeat}",
            "Heartbeats that failed or were not answered in time");
        meter.CreateObservableCounter("lb.deaths", () => counters.DeclaredDead, "{replica}",
            "Replicas that served and were then declared dead");
        meter.CreateObservableCounter("lb.replaced_for_failing_requests", () => counters.ReplacedForFailingRequests, "{replica}",
            "Of those, replicas replaced because they kept failing requests while passing heartbeats");
        meter.CreateObservableCounter("lb.spare_promotions", () => counters.SparePromotions, "{replica}",
            "Warm spares that took a dead replica's place or served an /add");
    }

    private IEnumerable<Measurement<T>> PerRoute<T>(Func<ReplicaRoute, T> read)
        where T : struct =>
        routing.Current.Replicas.Select(route => new Measurement<T>(read(route), new KeyValuePair<string, object?>(BalancerMeter.ReplicaTag, route.Hostname)));

    private IEnumerable<Measurement<double>> RingShare()
    {
        var table = routing.Current;
        return shares.Of(table).Select(share => new Measurement<double>(share.Value, new KeyValuePair<string, object?>(BalancerMeter.ReplicaTag, share.Key)));
    }

    private IEnumerable<Measurement<int>> ReplicaStateSeries()
    {
        if (history.LatestReport is not { } report)
        {
            yield break;
        }

        var routes = routing.Current.Replicas.ToDictionary(route => route.Hostname, StringComparer.OrdinalIgnoreCase);
        foreach (var replica in report.Replicas)
        {
            var state = ReplicaStates.Effective(replica, routes.GetValueOrDefault(replica.Hostname));
            foreach (var candidate in States)
            {
                yield return new Measurement<int>(candidate == state ? 1 : 0,
                    new KeyValuePair<string, object?>(BalancerMeter.ReplicaTag, replica.Hostname),
                    new KeyValuePair<string, object?>("state", ReplicaStates.Label(candidate)));
            }
        }
    }

    private int Count(params ReplicaState[] states)
    {
        if (history.LatestReport is not { } report)
        {
            return 0;
        }

        var routes = routing.Current.Replicas.ToDictionary(route => route.Hostname, StringComparer.OrdinalIgnoreCase);
        return report.Replicas.Count(replica => states.Contains(ReplicaStates.Effective(replica, routes.GetValueOrDefault(replica.Hostname))));
    }
}
