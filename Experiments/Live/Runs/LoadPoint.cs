using Experiments.Analysis;
using Experiments.Live.Load;

namespace Experiments.Live.Runs;

/// <summary>One measured run at N replicas: who served how many of the requests.</summary>
internal sealed record LoadPoint(int N, IReadOnlyList<string> Replicas, IReadOnlyList<RequestOutcome> Outcomes)
{
    public SortedDictionary<string, int> Counts => ServedLoad.CountPerReplica(Outcomes.Select(outcome => outcome.Replica), out _);

    public int Failed => Outcomes.Count(outcome => outcome.Failed);

    /// <summary>Over the replicas listed at the time, so one that served nothing counts as 0.</summary>
    public LoadSummary Summary => ServedLoad.Summarize(Counts, Replicas);

    public Dictionary<long, string?> ByRequestId => MovedIds.ByRequestId(Outcomes.Select(outcome => (outcome.Id, outcome.Replica)));

    /// <summary>Scales to N through the API and sends the run's 10,000 requests.</summary>
    public static async Task<LoadPoint> MeasureAsync(ExperimentContext context, BalancerApi api, int n, int seed, string label)
    {
        var replicas = await Scaling.ScaleToAsync(api, n);
        var outcomes = await context.SendAsync(api, seed, $"{label} N={n}");
        return new LoadPoint(n, replicas, outcomes);
    }
}
