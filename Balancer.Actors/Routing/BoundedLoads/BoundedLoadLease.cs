namespace Balancer.Actors.Routing;

/// <summary>
/// One request placed by a <see cref="BoundedLoadRouter"/>: forward it to <see cref="Hostname"/> and
/// dispose the lease exactly once when the response is done (or failed), which ends its in-flight count.
/// </summary>
/// <remarks>A struct, so placing a request allocates nothing; copies share the one count, so dispose only one.</remarks>
public readonly struct BoundedLoadLease : IDisposable
{
    private readonly BoundedLoadRouter? router;
    private readonly InFlightCounter? counter;

    internal BoundedLoadLease(BoundedLoadRouter router, InFlightCounter counter, string hostname)
    {
        this.router = router;
        this.counter = counter;
        Hostname = hostname;
    }

    /// <summary>The replica to forward to; null when the snapshot had no replicas.</summary>
    public string? Hostname { get; }

    public void Dispose()
    {
        if (counter is not null)
        {
            counter.Decrement();
            router!.ReleaseOne();
        }
    }
}
