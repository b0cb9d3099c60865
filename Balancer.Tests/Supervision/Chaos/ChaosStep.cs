namespace Balancer.Tests.Supervision.Chaos;

/// <summary>
/// One step of a fault schedule. Steps name their targets by position ("the k-th live replica"), not by
/// name, so a schedule with steps taken out (shrinking) still means something.
/// </summary>
internal abstract record ChaosStep
{
    public sealed record Add(int Count, IReadOnlyList<string> Hostnames) : ChaosStep
    {
        public override string ToString() => $"add n={Count} [{string.Join(",", Hostnames.Select(Printable))}]";
    }

    /// <summary>Removes <see cref="Count"/>; <see cref="Listed"/> picks named victims by position in /rep, <see cref="Unknown"/> adds names that do not exist.</summary>
    public sealed record Remove(int Count, IReadOnlyList<int> Listed, IReadOnlyList<string> Unknown) : ChaosStep
    {
        public override string ToString() =>
            $"rm n={Count} listed#[{string.Join(",", Listed)}] unknown[{string.Join(",", Unknown)}]";
    }

    public sealed record Crash(int Index) : ChaosStep;

    public sealed record Hang(int Index) : ChaosStep;

    public sealed record Recover(int Index) : ChaosStep;

    public sealed record FailStarts(IReadOnlyList<StartFault> Faults) : ChaosStep
    {
        public override string ToString() => $"fail-starts [{string.Join(",", Faults)}]";
    }

    public sealed record ReleaseHungStarts(bool Fail) : ChaosStep;

    public sealed record SlowStops(int Ticks) : ChaosStep;

    public sealed record Advance(int Ticks) : ChaosStep;

    private static string Printable(string name) => name.Replace("\n", "\\n", StringComparison.Ordinal);
}

/// <summary>A whole schedule: how the world starts and the steps that follow.</summary>
internal sealed record ChaosSchedule(
    int Seed, int Replicas, IReadOnlyList<string> Preexisting, int ListFailures, IReadOnlyList<ChaosStep> Steps, int Spares = 0)
{
    public override string ToString() =>
        $"seed {Seed}: N={Replicas}, spares {Spares}, preexisting [{string.Join(",", Preexisting)}], list failures {ListFailures}, {Steps.Count} steps" +
        Environment.NewLine + string.Join(Environment.NewLine, Steps.Select((step, index) => $"  {index,3}: {step}"));

    public ChaosSchedule WithSteps(IReadOnlyList<ChaosStep> steps) => this with { Steps = steps };
}
