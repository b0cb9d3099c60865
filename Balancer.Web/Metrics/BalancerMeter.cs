namespace Balancer.Web.Metrics;

/// <summary>
/// The meter every balancer instrument belongs to. Names follow OpenTelemetry's dotted style; the
/// Prometheus exporter turns them into the <c>lb_</c> names (dots to underscores, the unit as a suffix,
/// <c>_total</c> on counters), listed in the README.
/// </summary>
internal static class BalancerMeter
{
    public const string Name = "Balancer";

    /// <summary>The replica a series is about, spelled as /rep shows it.</summary>
    public const string ReplicaTag = "replica";

    /// <summary>The label of requests that reached no replica (no replica at all, a wrong method, a loop).</summary>
    public const string NoReplica = "none";
}
