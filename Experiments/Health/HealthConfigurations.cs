namespace Experiments.Health;

/// <summary>
/// The two configurations every before/after row compares: the health features switched off (exactly the
/// behaviour before issue 13: no ejection, no adaptive attempt timeout, no 5xx retry, heartbeats declared
/// missed after the fixed timeout) and the defaults. Builds without those settings ignore them, so on
/// such a build both rows measure the old behaviour.
/// </summary>
internal sealed record HealthConfiguration(string Name, IReadOnlyList<string> Settings)
{
    public static readonly HealthConfiguration HealthOff = new("health off, fixed heartbeats",
        ["--Balancer:Health:Enabled=false", "--Balancer:Heartbeat:Detector=Fixed"]);

    public static readonly HealthConfiguration Defaults = new("defaults", []);

    public static readonly IReadOnlyList<HealthConfiguration> BeforeAndAfter = [HealthOff, Defaults];

    /// <summary>For file names: "health-off", "defaults".</summary>
    public string Slug => this == HealthOff ? "health-off" : "defaults";
}
