namespace Balancer.Tests.Docker;

/// <summary>
/// A fact that needs a Docker engine. xunit 2 cannot skip at run time, so the decision is made when
/// the test is discovered: without an engine it is skipped with the reason, unless REQUIRE_DOCKER is
/// set (as CI does), in which case it runs and fails on the missing engine.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (!DockerEngine.Required && DockerEngine.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
