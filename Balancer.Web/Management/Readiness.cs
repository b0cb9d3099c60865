using Balancer.Actors.Supervision;

namespace Balancer.Web.Management;

/// <summary>
/// /readyz's verdict. Ready once the desired replicas have all served (start-up is over), and from then on
/// while any replica serves: one dead replica is replaced within a second, and a balancer taken out of
/// rotation for that would turn a small fault into an outage. Never ready while shutting down.
/// </summary>
internal sealed class Readiness
{
    private volatile bool startedOnce;

    public ReadinessVerdict Judge(ReplicaStatusReport? report, bool stopping)
    {
        if (stopping || report is { ShuttingDown: true })
        {
            return new(false, "the balancer is shutting down");
        }

        if (report is null)
        {
            return new(false, "the replica supervisor has not answered yet");
        }

        if (report.Listing)
        {
            return new(false, "listing the replicas that already run before starting any");
        }

        var serving = report.Replicas.Count(replica => replica.State == ReplicaState.Serving);
        var counts = $"{serving} of {report.Desired} desired replicas serve";
        if (!startedOnce && serving < report.Desired)
        {
            return new(false, $"starting: {counts}");
        }

        startedOnce = true;
        return serving == 0 && report.Desired > 0 ? new(false, $"no replica serves ({counts})") : new(true, counts);
    }
}

internal sealed record ReadinessVerdict(bool Ready, string Reason);
