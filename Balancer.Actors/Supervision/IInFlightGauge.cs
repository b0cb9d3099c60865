namespace Balancer.Actors.Supervision;

/// <summary>Requests the front end has in flight to a replica; a removed replica is drained until this is 0.</summary>
public interface IInFlightGauge
{
    int InFlight(string hostname);
}

/// <summary>For hosts that forward no traffic (tests of the actors alone).</summary>
public sealed class NoTrafficGauge : IInFlightGauge
{
    public static NoTrafficGauge Instance { get; } = new();

    public int InFlight(string hostname) => 0;
}
