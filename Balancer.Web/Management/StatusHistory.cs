using Balancer.Actors.Routing;
using Balancer.Actors.Supervision;
using Balancer.Web.Metrics;

namespace Balancer.Web.Management;

/// <summary>
/// What the balancer remembers for its status page: one sample per second over the last
/// <see cref="Points"/> seconds (each replica's request counts), the supervisor's latest report, since when
/// each replica is in its state, and the ejections and readmissions seen on the routes. So a page opened
/// now shows the last minutes at once. Written by the <see cref="StatusSampler"/> only.
/// </summary>
internal sealed class StatusHistory(ReplicaEventLog events)
{
    public const int Points = 300;
    public const int WindowSeconds = 10;

    private readonly Lock gate = new();
    private readonly LinkedList<Sample> samples = new();

    /// <summary>The full counts (latency buckets too) of the last seconds only: enough for the window, small for weeks of uptime.</summary>
    private readonly LinkedList<(DateTimeOffset At, IReadOnlyDictionary<string, TallyReading> Readings)> recent = new();
    private readonly Dictionary<string, (ReplicaState State, DateTimeOffset Since)> states = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<ReplicaRoute, (long Ejections, long Readmissions)> healthSeen = new(ReferenceEqualityComparer.Instance);
    private volatile ReplicaStatusReport? latestReport;

    /// <summary>The supervisor's latest answer (at most a second old), for gauges that must not wait on the supervisor.</summary>
    public ReplicaStatusReport? LatestReport => latestReport;

    public void Record(DateTimeOffset at, ReplicaStatusReport? report, RoutingTable table, IReadOnlyDictionary<string, TallyReading> readings)
    {
        lock (gate)
        {
            if (report is not null)
            {
                latestReport = report;
                TrackStates(at, report, table);
            }

            NoteHealthChanges(table);
            var previous = recent.Last?.Value;
            var elapsed = previous is null ? 0 : (at - previous.Value.At).TotalSeconds;
            var rates = readings.ToDictionary(
                pair => pair.Key,
                pair => elapsed > 0 ? (pair.Value.Requests - (previous!.Value.Readings.GetValueOrDefault(pair.Key) ?? TallyReading.Zero).Requests) / elapsed : 0,
                StringComparer.OrdinalIgnoreCase);
            samples.AddLast(new Sample(at, rates, table.Replicas.Select(route => route.Hostname).ToHashSet(StringComparer.OrdinalIgnoreCase)));
            while (samples.Count > Points)
            {
                samples.RemoveFirst();
            }

            recent.AddLast((at, readings));
            while (recent.Count > WindowSeconds + 1)
            {
                recent.RemoveFirst();
            }
        }
    }

    public IReadOnlyList<ReplicaRow> Rows(RoutingTable table, IReadOnlyDictionary<string, double> shares)
    {
        lock (gate)
        {
            if (latestReport is not { } report)
            {
                return [];
            }

            var routes = table.Replicas.ToDictionary(route => route.Hostname, StringComparer.OrdinalIgnoreCase);
            var newest = recent.Last?.Value;
            var oldest = recent.First?.Value;
            var seconds = newest is null || oldest is null ? 0 : (newest.Value.At - oldest.Value.At).TotalSeconds;
            return report.Replicas.Select(replica =>
            {
                var route = routes.GetValueOrDefault(replica.Hostname);
                var state = ReplicaStates.Effective(replica, route);
                var window = newest?.Readings.GetValueOrDefault(replica.Hostname)?.Since(oldest?.Readings.GetValueOrDefault(replica.Hostname) ?? TallyReading.Zero);
                return new ReplicaRow(
                    replica.Hostname,
                    ReplicaStates.Label(state),
                    states.TryGetValue(replica.Hostname, out var seen) && seen.State == state ? seen.Since : replica.ServingSince,
                    replica.Address?.ToString(),
                    shares.GetValueOrDefault(replica.Hostname),
                    window is not null && seconds > 0 ? window.Requests / seconds : 0,
                    window is { Requests: > 0 } ? (double)window.ServerErrors / window.Requests : 0,
                    window is null ? null : LatencyBuckets.Quantile(window.Latency, 0.5) * 1000,
                    window is null ? null : LatencyBuckets.Quantile(window.Latency, 0.99) * 1000,
                    route?.InFlight.Value ?? 0,
                    route?.Health.Ejections ?? 0,
                    route?.Health.FailedAttempts ?? 0);
            }).ToArray();
        }
    }

    public ChartHistory Chart()
    {
        lock (gate)
        {
            var points = samples.ToArray();
            var names = points.SelectMany(point => point.InRing).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            var series = names.ToDictionary(
                name => name,
                name => points.Select(point => point.InRing.Contains(name) || point.Rates.ContainsKey(name)
                    ? (double?)Math.Round(point.Rates.GetValueOrDefault(name), 2)
                    : null).ToArray(),
                StringComparer.OrdinalIgnoreCase);
            return new ChartHistory(1, points.Select(point => point.At).ToArray(), series);
        }
    }

    private void TrackStates(DateTimeOffset at, ReplicaStatusReport report, RoutingTable table)
    {
        var routes = table.Replicas.ToDictionary(route => route.Hostname, StringComparer.OrdinalIgnoreCase);
        foreach (var replica in report.Replicas)
        {
            var state = ReplicaStates.Effective(replica, routes.GetValueOrDefault(replica.Hostname));
            if (!states.TryGetValue(replica.Hostname, out var seen) || seen.State != state)
            {
                // The supervisor knows when serving began; any other change is dated by the sample that saw it.
                states[replica.Hostname] = (state, state == ReplicaState.Serving && replica.ServingSince is { } since ? since : at);
            }
        }

        foreach (var gone in states.Keys.Where(name => report.Replicas.All(replica => !replica.Hostname.Equals(name, StringComparison.OrdinalIgnoreCase))).ToArray())
        {
            states.Remove(gone);
        }
    }

    private void NoteHealthChanges(RoutingTable table)
    {
        foreach (var route in table.Replicas)
        {
            var health = route.Health;
            var seen = healthSeen.GetValueOrDefault(route);
            if (health.Ejections > seen.Ejections)
            {
                events.Add("ejected", route.Hostname, health.EjectedFor is { } cause ? $"ejected from routing ({cause})" : "ejected from routing");
            }

            if (health.Readmissions > seen.Readmissions)
            {
                events.Add("readmitted", route.Hostname, "routes again");
            }

            healthSeen[route] = (health.Ejections, health.Readmissions);
        }

        foreach (var gone in healthSeen.Keys.Where(route => !table.Replicas.Contains(route)).ToArray())
        {
            healthSeen.Remove(gone);
        }
    }

    private sealed record Sample(DateTimeOffset At, IReadOnlyDictionary<string, double> Rates, IReadOnlySet<string> InRing);
}
