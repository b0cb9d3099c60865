using Akka.Actor;
using Akka.Hosting;
using Balancer.Actors.Routing;
using Balancer.Actors.Supervision;
using Balancer.Web.Metrics;

namespace Balancer.Web.Management;

/// <summary>
/// Once a second: asks the supervisor for its replicas, reads the routing table and the request tallies,
/// and records them in the <see cref="StatusHistory"/>. It runs outside the actor system, so waiting for
/// the answer here blocks no actor.
/// </summary>
internal sealed class StatusSampler(
    IRequiredActor<ReplicaSupervisor> supervisor,
    RoutingTablePublisher routing,
    ReplicaTallies tallies,
    StatusHistory history,
    TimeProvider clock,
    ILogger<StatusSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var replicas = await supervisor.GetAsync(stoppingToken);
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            ReplicaStatusReport? report = null;
            try
            {
                report = await replicas.Ask<ReplicaStatusReport>(GetReplicaStatus.Instance, Interval, stoppingToken);
            }
            catch (AskTimeoutException)
            {
                // A busy supervisor (a start-up of many replicas): the rows keep the last answer, the chart goes on.
                logger.LogDebug("The supervisor did not answer the status sample within {Seconds} s", Interval.TotalSeconds);
            }

            var table = routing.Current;
            if (report is not null)
            {
                tallies.KeepOnly(report.Replicas.Select(replica => replica.Hostname).Concat(table.Replicas.Select(route => route.Hostname))
                    .ToHashSet(StringComparer.OrdinalIgnoreCase));
            }

            history.Record(clock.GetUtcNow(), report, table, tallies.ReadAll());
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
