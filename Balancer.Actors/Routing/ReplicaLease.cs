namespace Balancer.Actors.Routing;

/// <summary>
/// One request counted in flight on <see cref="Route"/>, as an <see cref="IRoutePicker"/> placed it.
/// Dispose it exactly once when the attempt is over (answered or failed): that ends the count.
/// </summary>
/// <remarks>A struct, so placing a request allocates nothing; copies share the one count, so dispose only one.</remarks>
public readonly struct ReplicaLease : IDisposable
{
    private readonly InFlightCounter? total;

    internal ReplicaLease(ReplicaRoute route, InFlightCounter? total, bool isTrial = false)
    {
        Route = route;
        this.total = total;
        IsTrial = isTrial;
    }

    /// <summary>The replica to forward to; null when the table had no replicas.</summary>
    public ReplicaRoute? Route { get; }

    /// <summary>
    /// The attempt is the trial request of an ejected replica: its outcome decides whether the replica is
    /// readmitted, so pass it to <see cref="Health.ReplicaHealth.Record"/>.
    /// </summary>
    public bool IsTrial { get; }

    public void Dispose()
    {
        if (Route is not null)
        {
            Route.InFlight.Decrement();
            total?.Decrement();
        }
    }
}
