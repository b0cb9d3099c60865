using Balancer.Actors.Routing;
using Balancer.Actors.Supervision;
using Microsoft.Extensions.Options;

namespace Balancer.Web.Hosting;

/// <summary>N is not negative, the spares are 0 to <see cref="ReplicaSetOptions.MaxSpares"/>, N fits the configured routing map (N x K &lt;= M), and the first names are hostnames.</summary>
internal sealed class ReplicaSetOptionsValidator(IOptions<RoutingOptions> routing) : IValidateOptions<ReplicaSetOptions>
{
    public ValidateOptionsResult Validate(string? name, ReplicaSetOptions options)
    {
        if (options.Replicas < 0)
        {
            return ValidateOptionsResult.Fail($"Balancer:Replicas must be 0 or more, got {options.Replicas}.");
        }

        if (options.Spares is < 0 or > ReplicaSetOptions.MaxSpares)
        {
            return ValidateOptionsResult.Fail($"Balancer:Spares must be 0 to {ReplicaSetOptions.MaxSpares}, got {options.Spares}.");
        }

        var fits = ArgumentChecks.Run(() => routing.Value.EnsureFits(options.Replicas));
        if (fits.Failed)
        {
            return fits;
        }

        var invalid = options.ReplicaNames.Where(replicaName => !ReplicaNames.IsValid(replicaName)).ToList();
        return invalid.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Balancer:ReplicaNames has '{invalid[0]}', which is not a valid hostname.");
    }
}
