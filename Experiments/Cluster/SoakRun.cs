using System.Diagnostics;
using Experiments.Health.Runs;

namespace Experiments.Cluster;

/// <summary>
/// The issue's "no node is downed falsely while one node serves wrk -c256 for 60 s": wrk against node 1's
/// /home while every node's /status.json is read every second; any member not up and reachable in any
/// reading counts, and so does a member count below the cluster's.
/// </summary>
internal static class SoakRun
{
    public sealed record Result(Wrk.Summary Wrk, int Readings, IReadOnlyList<string> Incidents);

    public static async Task<Result> RunAsync(LocalCluster cluster, string wrk, TimeSpan duration, int connections, int seed)
    {
        var target = cluster.Nodes[0];
        var incidents = new List<string>();
        var readings = 0;
        using var watching = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var watch = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                foreach (var node in cluster.Alive)
                {
                    try
                    {
                        var status = await node.StatusAsync(watching.Token);
                        readings++;
                        foreach (var member in status.Members.Where(member => member.Status != "up" || !member.Reachable))
                        {
                            incidents.Add($"{clock.Elapsed.TotalSeconds:0.0} s node {node.Number} sees {member.Address} {member.Status}{(member.Reachable ? "" : ", unreachable")}");
                        }

                        if (status.Members.Count < cluster.Nodes.Count)
                        {
                            incidents.Add($"{clock.Elapsed.TotalSeconds:0.0} s node {node.Number} has {status.Members.Count} members");
                        }
                    }
                    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                    {
                        if (!watching.IsCancellationRequested)
                        {
                            incidents.Add($"{clock.Elapsed.TotalSeconds:0.0} s node {node.Number}'s status page did not answer within 5 s");
                        }
                    }
                }

                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), watching.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        var summary = await Wrk.RunAsync(wrk, new Uri(target.Balancer.Api.Http.BaseAddress!, "/home"), connections, duration, seed);
        await watching.CancelAsync();
        await watch;
        return new Result(summary, readings, incidents);
    }
}
