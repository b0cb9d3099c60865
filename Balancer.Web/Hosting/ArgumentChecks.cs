using Microsoft.Extensions.Options;

namespace Balancer.Web.Hosting;

/// <summary>
/// Turns the checks of the options types that validate themselves (a Validate method that throws
/// ArgumentException, so code without DI, such as the experiments, gets the same checks) into
/// options validation results with the same messages.
/// </summary>
internal static class ArgumentChecks
{
    public static ValidateOptionsResult Run(Action check)
    {
        try
        {
            check();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException exception)
        {
            return ValidateOptionsResult.Fail(exception.Message);
        }
    }
}

/// <summary>Validates <typeparamref name="TOptions"/> with the type's own check.</summary>
internal sealed class ArgumentCheckValidator<TOptions>(Action<TOptions> check) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options) => ArgumentChecks.Run(() => check(options));
}
