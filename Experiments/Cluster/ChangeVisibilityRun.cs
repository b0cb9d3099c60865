using System.Diagnostics;

namespace Experiments.Cluster;

/// <summary>
/// An /add or /rm through one node, and when the other nodes' /rep show it: the issue's "in /rep of nodes 1
/// and 3 within 1 s". Timed from the change's answer (the moment the caller knows it happened) and from its start.
/// </summary>
public static class ChangeVisibilityRun
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    /// <param name="Change">What was asked, through which node.</param>
    /// <param name="Answered">From sending the change to its 200.</param>
    /// <param name="VisibleAfterAnswer">Per other node, from the answer to its /rep showing the change (negative: before the answer).</param>
    public sealed record Result(string Change, TimeSpan Answered, IReadOnlyDictionary<int, TimeSpan?> VisibleAfterAnswer, RouteAgreement.Result Agreement)
    {
        public TimeSpan? Slowest => VisibleAfterAnswer.Values.Any(value => value is null) ? null : VisibleAfterAnswer.Values.Max();
    }

    public static Task<Result> AddAsync(LocalCluster cluster, ClusterNode through, string hostname, int seed) =>
        RunAsync(cluster, through, $"/add {hostname} through node {through.Number}", () => through.Api.AddAsync(1, hostname),
            replicas => replicas.Contains(hostname), seed);

    public static Task<Result> RemoveAsync(LocalCluster cluster, ClusterNode through, string hostname, int seed) =>
        RunAsync(cluster, through, $"/rm {hostname} through node {through.Number}", () => through.Api.RemoveAsync(1, hostname),
            replicas => !replicas.Contains(hostname), seed);

    private static async Task<Result> RunAsync(LocalCluster cluster, ClusterNode through, string change, Func<Task<Live.ApiResponse>> send,
        Func<IReadOnlyList<string>, bool> shows, int seed)
    {
        var others = cluster.Alive.Where(node => node != through).ToArray();
        var clock = Stopwatch.StartNew();
        var seen = new Dictionary<int, TimeSpan>();
        // Every other node's /rep is read every 10 ms from the moment the change is sent.
        using var watching = new CancellationTokenSource(Within);
        var watches = others.Select(async node =>
        {
            while (!watching.IsCancellationRequested)
            {
                try
                {
                    if (shows((await node.Api.ListAsync()).Replicas))
                    {
                        lock (seen)
                        {
                            seen[node.Number] = clock.Elapsed;
                        }

                        return;
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    // Busy: the next read.
                }

                await Task.Delay(TimeSpan.FromMilliseconds(10));
            }
        }).ToArray();

        var response = await send();
        var answered = clock.Elapsed;
        if (response.Status != 200)
        {
            await watching.CancelAsync();
            throw new InvalidOperationException($"{change} answered {response.Status}: {response.Body}");
        }

        await Task.WhenAll(watches);
        var visible = others.ToDictionary(node => node.Number, node => seen.TryGetValue(node.Number, out var at) ? at - answered : (TimeSpan?)null);
        var agreement = await RouteAgreement.CheckAsync(cluster.Alive.ToArray(), 1000, seed);
        return new Result(change, answered, visible, agreement);
    }
}
