using System.Diagnostics;
using System.Net;
using System.Text;
using Experiments.Live;

namespace Experiments.Cluster;

/// <summary>
/// The issue's hand-over target: clients load every node but the scheduler's, the scheduler's node is killed
/// with SIGKILL, and the run measures what the clients saw (failures on the survivors), when the scheduler
/// answers again on a survivor, how long an /add and an /rm through survivors then take, and when N is
/// restored (the survivors list the same replicas, which are the only replica processes of the cluster).
/// </summary>
public static class KillSchedulerRun
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    /// <param name="SupervisorAnswers">Kill to the first answer of the scheduler (a harmless /rm of a name that does not exist) through a survivor.</param>
    /// <param name="AddAnswered">Kill to the 200 of an /add through a survivor (sent once the scheduler answers).</param>
    /// <param name="RemoveAnswered">Kill to the 200 of the /rm of that replica through the other survivor.</param>
    /// <param name="NewScheduler">Kill to every survivor naming the same surviving node as the scheduler.</param>
    /// <param name="Restored">Kill to N restored: survivors list exactly the replicas of before, and no other replica process runs.</param>
    public sealed record Result(
        string KilledNode,
        string NewSchedulerNode,
        long Requests,
        IReadOnlyList<string> Failures,
        TimeSpan SupervisorAnswers,
        TimeSpan AddAnswered,
        TimeSpan RemoveAnswered,
        TimeSpan NewScheduler,
        TimeSpan? Restored,
        IReadOnlyList<string> ReplicasBefore,
        IReadOnlyList<string> ReplicasAfter,
        int ReplicaProcessesAfter,
        RouteAgreement.Result Agreement);

    public static async Task<Result> RunAsync(LocalCluster cluster, int seed, Action<string>? progress = null)
    {
        var scheduler = await cluster.SchedulerAsync();
        var survivors = cluster.Alive.Where(node => node != scheduler).ToArray();
        var before = (await survivors[0].Api.ListAsync()).Replicas;
        progress?.Invoke($"scheduler is {scheduler}; loading {string.Join(", ", survivors.Select(node => $"node {node.Number}"))}; replicas {string.Join(", ", before)}");

        await using var load = new ClusterLoad(survivors, loopsPerNode: 4, seed);
        // Traffic flows before the kill, so the figure covers requests in flight at the moment of the kill.
        await cluster.WaitUntilAsync(() => Task.FromResult(load.Completed > 200), Within);

        var clock = Stopwatch.StartNew();
        await scheduler.KillAsync();
        progress?.Invoke($"killed {scheduler} (SIGKILL) after {load.Completed} requests");

        var answers = await FirstSupervisorAnswerAsync(survivors[0], clock, Within);
        progress?.Invoke($"the scheduler answers again through node {survivors[0].Number} {answers.TotalSeconds:0.00} s after the kill");

        var added = await survivors[0].Api.AddAsync(1, "K1");
        var addAnswered = clock.Elapsed;
        if (added.Status != 200)
        {
            throw new InvalidOperationException($"/add after the hand-over answered {added.Status}: {added.Body}");
        }

        var removed = await survivors[^1].Api.RemoveAsync(1, "K1");
        var removeAnswered = clock.Elapsed;
        if (removed.Status != 200)
        {
            throw new InvalidOperationException($"/rm after the hand-over answered {removed.Status}: {removed.Body}");
        }

        TimeSpan? newScheduler = null;
        await cluster.WaitUntilAsync(async () =>
        {
            var statuses = await cluster.StatusesAsync();
            var named = statuses.Select(status => status.Scheduler).Distinct().ToArray();
            if (named is [{ } address] && survivors.Any(node => node.Address == address))
            {
                newScheduler ??= clock.Elapsed;
                return true;
            }

            return false;
        }, Within);

        TimeSpan? restored = null;
        IReadOnlyList<string> after = [];
        await cluster.WaitUntilAsync(async () =>
        {
            var listings = await Task.WhenAll(survivors.Select(node => node.Api.ListAsync()));
            after = listings[0].Replicas;
            if (listings.All(listing => listing.Replicas.Order().SequenceEqual(before.Order())) && cluster.ReplicaProcesses().Count == before.Count)
            {
                restored = clock.Elapsed;
                return true;
            }

            return false;
        }, Within, TimeSpan.FromMilliseconds(100));

        // A little more traffic after the hand-over, then the clients stop.
        var settled = load.Completed;
        await cluster.WaitUntilAsync(() => Task.FromResult(load.Completed > settled + 200), Within);
        var (requests, failures) = await load.StopAsync();
        var agreement = await RouteAgreement.CheckAsync(survivors, 1000, seed);
        var schedulerNow = await cluster.SchedulerAsync();
        return new Result(scheduler.ToString(), schedulerNow.ToString(), requests, failures, answers, addAnswered, removeAnswered,
            newScheduler ?? Within, restored, before, after, cluster.ReplicaProcesses().Count, agreement);
    }

    /// <summary>
    /// Probes the scheduler through <paramref name="node"/> with an /rm of a name no replica has: only the
    /// supervisor can say it does not exist (a 400 that changes nothing), so that answer is the scheduler's.
    /// A probe lost with the dead node is abandoned after a second; being a rejected /rm, it never changes anything.
    /// </summary>
    private static async Task<TimeSpan> FirstSupervisorAnswerAsync(ClusterNode node, Stopwatch clock, TimeSpan within)
    {
        while (clock.Elapsed < within)
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, "/rm")
            {
                Content = new StringContent("""{"n":1,"hostnames":["no-such-replica"]}""", Encoding.UTF8, "application/json"),
            };
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                using var response = await node.Api.Http.SendAsync(request, timeout.Token);
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                if (response.StatusCode == HttpStatusCode.BadRequest && body.Contains("no-such-replica", StringComparison.Ordinal))
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException)
            {
                // Lost with the dead scheduler, or the node is busy: the next probe.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"the scheduler did not answer through node {node.Number} within {within.TotalSeconds:0} s of the kill");
    }
}
