namespace Experiments.Cluster;

/// <summary>
/// Whether the nodes route alike, checked from outside: the same request ids sent to every node must be
/// answered by the same replica, and every node must show the same table fingerprint. Passive health and the
/// adaptive attempt timeout are per node by design: on a loaded machine a node may abandon a slow attempt or
/// eject a replica for a moment and answer from the next replica clockwise. So an id answered differently is
/// asked again (up to three times, half a second apart): a table that differs keeps differing, a failover does not.
/// </summary>
public static class RouteAgreement
{
    /// <param name="Ids">How many ids were sent to every node.</param>
    /// <param name="Disagreements">Ids that some node still routed to another replica than the others (or failed) when asked again.</param>
    /// <param name="Fingerprints">Each node's table fingerprint, in node order.</param>
    /// <param name="DifferentAtFirst">Ids answered by different replicas at the first ask (failovers included).</param>
    public sealed record Result(int Ids, IReadOnlyList<string> Disagreements, IReadOnlyList<string> Fingerprints, int DifferentAtFirst)
    {
        public bool Agree => Disagreements.Count == 0 && Fingerprints.Distinct().Count() == 1;
    }

    /// <summary><paramref name="count"/> distinct six-digit ids from <paramref name="seed"/>, each sent to every node.</summary>
    public static async Task<Result> CheckAsync(IReadOnlyList<ClusterNode> nodes, int count, int seed)
    {
        var random = new Random(seed);
        var ids = new HashSet<long>();
        while (ids.Count < count)
        {
            ids.Add(random.Next(100000, 1000000));
        }

        var different = await DisagreeingAsync(nodes, ids);
        var differentAtFirst = different.Count;
        for (var again = 0; again < 3 && different.Count > 0; again++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            different = await DisagreeingAsync(nodes, different.Keys);
        }

        var disagreements = different
            .Select(route => $"id {route.Key}: {string.Join(" / ", route.Value.Select((replica, index) => $"node {nodes[index].Number} {replica}"))}")
            .ToArray();
        var fingerprints = (await Task.WhenAll(nodes.Select(node => node.StatusAsync()))).Select(status => status.Fingerprint).ToArray();
        return new Result(ids.Count, disagreements, fingerprints, differentAtFirst);
    }

    /// <summary>The ids that the nodes answered from different replicas (or did not answer with a replica), with each node's answer.</summary>
    private static async Task<Dictionary<long, string?[]>> DisagreeingAsync(IReadOnlyList<ClusterNode> nodes, IEnumerable<long> ids)
    {
        var routes = new Dictionary<long, string?[]>();
        // Eight at a time per node: quick, and still far from loading anything.
        using var gate = new SemaphoreSlim(8 * nodes.Count);
        var answers = ids.SelectMany(id => nodes.Select(async (node, index) =>
        {
            await gate.WaitAsync();
            try
            {
                var response = await node.Api.HomeAsync(id);
                return (id, index, Replica: response.Status == 200 ? response.Replica : $"status {response.Status}");
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                return (id, index, Replica: (string?)$"failed: {exception.Message}");
            }
            finally
            {
                gate.Release();
            }
        }));
        foreach (var (id, index, replica) in await Task.WhenAll(answers))
        {
            (routes.TryGetValue(id, out var row) ? row : routes[id] = new string?[nodes.Count])[index] = replica;
        }

        return routes
            .Where(route => route.Value.Distinct().Count() != 1 || route.Value[0] is null
                || route.Value[0]!.StartsWith("status ", StringComparison.Ordinal) || route.Value[0]!.StartsWith("failed: ", StringComparison.Ordinal))
            .ToDictionary(route => route.Key, route => route.Value);
    }
}
