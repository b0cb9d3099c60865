namespace Experiments.Live.Load;

/// <summary>One /home request: when it ran (from the start of its run) and who served it; no replica means it failed.</summary>
internal sealed record RequestOutcome(long Id, TimeSpan StartedAt, TimeSpan CompletedAt, int Status, string? Replica)
{
    public bool Failed => Replica is null;
}
