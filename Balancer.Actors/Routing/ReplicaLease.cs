namespace Balancer.Actors.Routing;

/// <summary>
/// One request counted in flight on <see cref="Route"/>, as an <see cref="IRoutePicker"/> placed it.
/// Dispose it exactly once when the attempt is over (answered or failed): that ends the count.
/// </summary>
/// <remarks>A struct, so placing a request allocates nothing; copies share the one count, so dispose only one.</remarks>
public readonly struct ReplicaLease : IDisposable
{
    private readonly InFlightCounter? total;

    internal ReplicaLease(ReplicaRoute route, InFlightCounter? total)
    {
        Route = route;
        this.total = total;
    }

    /// <summary>The replica to forward to; null when the table had no replicas.</summary>
    public ReplicaRoute? Route { get; }

    public void Dispose()
    {
        if (Route is not null)
        {
            Route.InFlight.Decrement();
            total?.Decrement();
        }
    }
}
