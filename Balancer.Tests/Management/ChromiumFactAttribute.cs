namespace Balancer.Tests.Management;

/// <summary>
/// A fact that needs Debian's chromium. xunit 2 cannot skip at run time, so without the browser the test
/// is skipped when discovered, with the reason, unless REQUIRE_BROWSER is set (as CI does, having
/// installed it): then it runs and fails on the missing browser.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Executable = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Executable) && Environment.GetEnvironmentVariable("REQUIRE_BROWSER") is not "1")
        {
            Skip = $"no browser: {Executable} is missing (apt-get install -y chromium)";
        }
    }
}
