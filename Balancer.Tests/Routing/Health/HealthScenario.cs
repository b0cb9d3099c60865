using Balancer.Actors.Routing;
using Balancer.Actors.Routing.Health;
using Microsoft.Extensions.Time.Testing;

namespace Balancer.Tests.Routing.Health;

/// <summary>Routes judged by one policy on a fake clock, and shorthands for recording attempt outcomes.</summary>
internal sealed class HealthScenario
{
    public HealthScenario(HealthOptions? options = null, TimeSpan? attemptTimeout = null)
    {
        Policy = new ReplicaHealthPolicy(options ?? new HealthOptions(), attemptTimeout ?? TimeSpan.FromSeconds(3), Clock);
        // A lone route is a ring of one (the RingActor sets the count with every table); Table sets its own.
        Policy.Budget.Replicas = 1;
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UnixEpoch);

    public ReplicaHealthPolicy Policy { get; }

    public ReplicaRoute Route(string hostname = "S1", int port = 6001) => new(hostname, new Uri($"http://127.0.0.1:{port}"), Policy);

    /// <summary>A table of the spec ring over <paramref name="hostnames"/> with routes judged by this policy.</summary>
    public RoutingTable Table(params string[] hostnames)
    {
        var map = new ConsistentHashMap();
        foreach (var hostname in hostnames)
        {
            map.Add(hostname);
        }

        Policy.Budget.Replicas = hostnames.Length;
        return new RoutingTable(map.Current, hostnames.Select((name, index) => Route(name, 6001 + index)).ToArray());
    }

    /// <summary>One attempt that took <paramref name="took"/> on the fake clock and ended with <paramref name="outcome"/>.</summary>
    public HealthTransition Attempt(ReplicaRoute route, AttemptOutcome outcome, TimeSpan? took = null, bool trial = false)
    {
        var start = route.Health.Start();
        Clock.Advance(took ?? TimeSpan.FromMilliseconds(1));
        return route.Health.Record(outcome, start, trial);
    }

    public void Fail(ReplicaRoute route, int times, AttemptOutcome outcome = AttemptOutcome.NoAnswer)
    {
        for (var i = 0; i < times; i++)
        {
            Attempt(route, outcome);
        }
    }

    /// <summary>Advances past the ejection and sends the route its trial (as a picker would), with the given outcome.</summary>
    public HealthTransition Trial(ReplicaRoute route, AttemptOutcome outcome)
    {
        Assert.Equal(Admission.Trial, route.Health.Admit());
        return Attempt(route, outcome, trial: true);
    }
}
