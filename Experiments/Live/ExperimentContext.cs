using System.Diagnostics;
using Experiments.Live.Load;
using Experiments.Live.Output;

namespace Experiments.Live;

/// <summary>What every experiment shares: the options, the load generator and the results folder.</summary>
internal sealed class ExperimentContext(LiveOptions options, LoadGenerator load, ResultsFolder results)
{
    /// <summary>Bulk runs are bounded in time as well as in count.</summary>
    public static readonly TimeSpan RunTimeLimit = TimeSpan.FromSeconds(120);

    public LiveOptions Options { get; } = options;

    public LoadGenerator Load { get; } = load;

    public ResultsFolder Results { get; } = results;

    /// <summary>Console summary rows, printed as one table at the end.</summary>
    public List<(string Experiment, string Measure, string Value)> Highlights { get; } = [];

    /// <summary>10,000 /home requests with ids from <paramref name="seed"/>, as fast as the bounded concurrency allows.</summary>
    public Task<IReadOnlyList<RequestOutcome>> SendAsync(BalancerApi api, int seed, string label) =>
        ProgressDisplay.RunAsync(label, LiveOptions.RequestsPerRun, tick =>
            Load.RunAsync(api, RequestIds.Random(seed, LiveOptions.RequestsPerRun), RunTimeLimit, Stopwatch.StartNew(), onCompleted: tick));
}
