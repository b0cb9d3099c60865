using Balancer.Actors.Runtime.Docker;
using Microsoft.Extensions.Options;

namespace Balancer.Web.Hosting;

/// <summary><c>Balancer:Runtime</c> names a runtime the balancer has.</summary>
internal sealed class ReplicaRuntimeOptionsValidator : IValidateOptions<ReplicaRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, ReplicaRuntimeOptions options) =>
        options.IsProcess || options.IsDocker
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Balancer:Runtime '{options.Runtime}' is not known; use {ReplicaRuntimeOptions.Process} or {ReplicaRuntimeOptions.Docker}.");
}

/// <summary>
/// With the Docker runtime, <c>Balancer:Docker</c> has an InstanceId (so a restarted balancer finds its
/// own containers) and settings that would not only fail later, deep inside a start or a listing.
/// </summary>
internal sealed class DockerRuntimeOptionsValidator(IOptions<ReplicaRuntimeOptions> runtime) : IValidateOptions<DockerRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, DockerRuntimeOptions options)
    {
        if (!runtime.Value.IsDocker)
        {
            return ValidateOptionsResult.Skip;
        }

        if (string.IsNullOrWhiteSpace(options.InstanceId))
        {
            return ValidateOptionsResult.Fail(
                "Balancer:Docker:InstanceId is required with the Docker runtime (e.g. Balancer__Docker__InstanceId=lb1).");
        }

        return ArgumentChecks.Run(options.Validate);
    }
}
