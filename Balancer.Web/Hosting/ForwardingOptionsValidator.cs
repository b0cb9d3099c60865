using Balancer.Web.Forwarding;
using Microsoft.Extensions.Options;

namespace Balancer.Web.Hosting;

/// <summary>At least one attempt per request, each with a positive timeout.</summary>
internal sealed class ForwardingOptionsValidator : IValidateOptions<ForwardingOptions>
{
    public ValidateOptionsResult Validate(string? name, ForwardingOptions options)
    {
        if (options.MaxAttempts < 1)
        {
            return ValidateOptionsResult.Fail($"Balancer:Forwarding:MaxAttempts must be at least 1, got {options.MaxAttempts}.");
        }

        return options.AttemptTimeout > TimeSpan.Zero
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Balancer:Forwarding:AttemptTimeout must be positive, got {options.AttemptTimeout}.");
    }
}
