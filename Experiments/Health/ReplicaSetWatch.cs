using System.Diagnostics;
using Experiments.Live;

namespace Experiments.Health;

/// <summary>
/// Polls /rep in the background and keeps every change of the listed set with its time on the run's
/// clock: when a replica left (declared dead, replaced) and when a new one was listed.
/// </summary>
internal sealed class ReplicaSetWatch : IAsyncDisposable
{
    private readonly List<(TimeSpan At, string[] Replicas)> changes = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task polling;

    private ReplicaSetWatch(BalancerApi api, Stopwatch clock, TimeSpan every) => polling = PollAsync(api, clock, every);

    public static ReplicaSetWatch Start(BalancerApi api, Stopwatch clock, TimeSpan every) => new(api, clock, every);

    /// <summary>The listed set as last seen, or empty before the first answer.</summary>
    public IReadOnlyList<string> Latest
    {
        get
        {
            lock (changes)
            {
                return changes.Count == 0 ? [] : changes[^1].Replicas;
            }
        }
    }

    /// <summary>Every set seen, each with the time it was first seen.</summary>
    public IReadOnlyList<(TimeSpan At, string[] Replicas)> Changes
    {
        get
        {
            lock (changes)
            {
                return [.. changes];
            }
        }
    }

    /// <summary>The first time at or after <paramref name="after"/> that <paramref name="name"/> was not listed.</summary>
    public TimeSpan? GoneAt(string name, TimeSpan after)
    {
        var seen = Changes;
        var inEffect = seen.LastOrDefault(change => change.At <= after).Replicas;
        if (inEffect is not null && !inEffect.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return after;
        }

        return seen.Where(change => change.At > after && !change.Replicas.Contains(name, StringComparer.OrdinalIgnoreCase))
            .Select(change => (TimeSpan?)change.At).FirstOrDefault();
    }

    /// <summary>The first replica listed at or after <paramref name="after"/> that is not among <paramref name="known"/>, and when.</summary>
    public (string Name, TimeSpan At)? FirstNewAt(IReadOnlyCollection<string> known, TimeSpan after)
    {
        foreach (var (at, replicas) in Changes.Where(change => change.At >= after))
        {
            if (replicas.FirstOrDefault(name => !known.Contains(name, StringComparer.OrdinalIgnoreCase)) is { } fresh)
            {
                return (fresh, at);
            }
        }

        return null;
    }

    /// <summary>Names that were listed once and later were not: deaths, replacements and removals.</summary>
    public IReadOnlyList<string> Departed()
    {
        var departed = new List<string>();
        var seen = Changes;
        for (var index = 1; index < seen.Count; index++)
        {
            departed.AddRange(seen[index - 1].Replicas.Where(name => !seen[index].Replicas.Contains(name, StringComparer.OrdinalIgnoreCase)));
        }

        return departed;
    }

    /// <summary>Names that appeared after the first listing.</summary>
    public IReadOnlyList<string> Arrived()
    {
        var arrived = new List<string>();
        var seen = Changes;
        for (var index = 1; index < seen.Count; index++)
        {
            arrived.AddRange(seen[index].Replicas.Where(name => !seen[index - 1].Replicas.Contains(name, StringComparer.OrdinalIgnoreCase)));
        }

        return arrived;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await polling;
        stop.Dispose();
    }

    private async Task PollAsync(BalancerApi api, Stopwatch clock, TimeSpan every)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var replicas = (await api.ListAsync()).Replicas.ToArray();
                lock (changes)
                {
                    if (changes.Count == 0 || !changes[^1].Replicas.SequenceEqual(replicas, StringComparer.OrdinalIgnoreCase))
                    {
                        changes.Add((clock.Elapsed, replicas));
                    }
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
            {
                // A busy balancer may drop a poll; the next one tells.
            }

            try
            {
                await Task.Delay(every, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Disposed.
            }
        }
    }
}
