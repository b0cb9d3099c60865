using System.Collections.Concurrent;
using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision;

/// <summary>Requests in flight as a test sets them.</summary>
internal sealed class FakeGauge : IInFlightGauge
{
    private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.OrdinalIgnoreCase);

    public void Set(string hostname, int inFlight) => counts[hostname] = inFlight;

    public int InFlight(string hostname) => counts.GetValueOrDefault(hostname);
}
