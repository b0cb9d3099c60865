namespace Experiments.Health;

/// <summary>The command line of <c>health [--out DIR] [--seed N] [--only part,part]</c>.</summary>
internal sealed record HealthOptions(string OutputDirectory, int Seed, IReadOnlySet<string> Parts)
{
    /// <summary>The groups of rows: SIGSTOP, wrk -c256, the failing replica, crashes (process), crashes (Docker).</summary>
    public static readonly string[] AllParts = ["hang", "saturation", "failing", "crash", "docker"];

    public const string Usage = "usage: Experiments health [--out results/health] [--seed N] [--only hang,saturation,failing,crash,docker]";

    public bool Runs(string part) => Parts.Contains(part);

    public static HealthOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var output = Path.Combine("results", "health");
        var seed = 20240813;
        IReadOnlySet<string> parts = AllParts.ToHashSet();
        for (var index = 1; index < args.Count; index++)
        {
            var hasValue = index + 1 < args.Count;
            switch (args[index])
            {
                case "--out" when hasValue:
                    output = args[++index];
                    break;
                case "--seed" when hasValue && int.TryParse(args[index + 1], out var parsed):
                    seed = parsed;
                    index++;
                    break;
                case "--only" when hasValue:
                    parts = args[++index].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
                    if (parts.FirstOrDefault(part => !AllParts.Contains(part)) is { } unknown)
                    {
                        error = $"unknown part '{unknown}'";
                        return null;
                    }

                    break;
                default:
                    error = $"unknown or incomplete option '{args[index]}'";
                    return null;
            }
        }

        return new HealthOptions(Path.GetFullPath(output), seed, parts);
    }
}
