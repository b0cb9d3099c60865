namespace Experiments.Live;

/// <summary>The command line of the live experiments: which ones, against what, and where results go.</summary>
internal sealed record LiveOptions(IReadOnlyList<string> Experiments, Uri? Target, string OutputDirectory, int Seed)
{
    public static readonly string[] All = ["a1", "a2", "a3", "a4"];

    public const int RequestsPerRun = 10_000;

    public bool Embedded => Target is null;

    /// <summary>Parses <c>&lt;a1|a2|a3|a4|all&gt; [--target URL | --embedded] [--out DIR] [--seed N]</c>; null on a bad line.</summary>
    public static LiveOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        if (args.Count == 0 || !(args[0] == "all" || All.Contains(args[0])))
        {
            error = "the first argument must be a1, a2, a3, a4 or all";
            return null;
        }

        Uri? target = null;
        var output = "results";
        var seed = 20240808;
        for (var index = 1; index < args.Count; index++)
        {
            var hasValue = index + 1 < args.Count;
            switch (args[index])
            {
                case "--embedded":
                    target = null;
                    break;
                case "--target" when hasValue && Uri.TryCreate(args[index + 1], UriKind.Absolute, out var uri):
                    target = uri;
                    index++;
                    break;
                case "--out" when hasValue:
                    output = args[++index];
                    break;
                case "--seed" when hasValue && int.TryParse(args[index + 1], out var parsed):
                    seed = parsed;
                    index++;
                    break;
                default:
                    error = $"unknown or incomplete option '{args[index]}'";
                    return null;
            }
        }

        return new LiveOptions(args[0] == "all" ? All : [args[0]], target, Path.GetFullPath(output), seed);
    }
}
