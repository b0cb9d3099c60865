namespace Experiments.Faults;

/// <summary>The command line of <c>fault-replica &lt;500|hang&gt; [--log FILE]</c>.</summary>
internal sealed record FaultReplicaOptions(FaultMode Mode, string? LogPath)
{
    public const string Usage = "usage: Experiments fault-replica <500|hang> [--log FILE]  (listens on ASPNETCORE_URLS, names itself SERVER_ID)";

    public static FaultReplicaOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        FaultMode? mode = args.Count > 1 ? args[1] switch
        {
            "500" => FaultMode.ServerError,
            "hang" => FaultMode.Hang,
            _ => null,
        } : null;
        if (mode is null)
        {
            error = "the second argument must be 500 or hang";
            return null;
        }

        string? log = null;
        for (var index = 2; index < args.Count; index++)
        {
            if (args[index] == "--log" && index + 1 < args.Count)
            {
                log = args[++index];
            }
            else
            {
                error = $"unknown or incomplete option '{args[index]}'";
                return null;
            }
        }

        return new FaultReplicaOptions(mode.Value, log);
    }
}
