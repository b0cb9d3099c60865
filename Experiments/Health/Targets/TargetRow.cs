namespace Experiments.Health.Targets;

/// <summary>
/// One row of the issue's targets table: what the issue measured before the work, the target, and what
/// this run measured with the health features off and with the defaults ("-" where a row has no before).
/// </summary>
internal sealed record TargetRow(string Case, string IssueToday, string Target, string MeasuredHealthOff, string MeasuredDefaults, string Met)
{
    public static string Verdict(bool? met) => met switch
    {
        true => "yes",
        false => "no",
        null => "n/a",
    };

    public static string Ms(double? value) => value is { } ms ? $"{ms:0} ms" : "never";

    public static string Seconds(double? ms) => ms is { } value ? $"{value / 1000:0.00} s" : "never";
}
