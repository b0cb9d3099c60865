using Akka.Actor;

namespace Balancer.Tests.Supervision.Chaos;

/// <summary>Runs schedules, and shrinks a failing one to a small case that still fails.</summary>
internal static class ChaosRunner
{
    public static IReadOnlyList<string> Run(ActorSystem system, ChaosSchedule schedule) => RunWorld(system, schedule).Violations;

    /// <summary>Runs the schedule and returns its world: the violations and what the run checked.</summary>
    public static ChaosWorld RunWorld(ActorSystem system, ChaosSchedule schedule)
    {
        using var onThisThread = new NoSynchronizationContext();
        var world = new ChaosWorld(system, schedule);
        world.Run();
        return world;
    }

    /// <summary>
    /// Takes steps out while the schedule still fails (halves first, then single steps), so a report shows
    /// the few steps that matter. Deterministic runs make the shrunk case replay the same way.
    /// </summary>
    public static ChaosSchedule Shrink(ActorSystem system, ChaosSchedule failing, TimeSpan budget)
    {
        var until = DateTime.UtcNow + budget;
        var steps = failing.Steps.ToList();
        for (var chunk = Math.Max(1, steps.Count / 2); chunk >= 1 && DateTime.UtcNow < until; chunk /= 2)
        {
            for (var start = 0; start + chunk <= steps.Count && DateTime.UtcNow < until;)
            {
                var candidate = steps.Take(start).Concat(steps.Skip(start + chunk)).ToList();
                if (Run(system, failing.WithSteps(candidate)).Count > 0)
                {
                    steps = candidate;
                }
                else
                {
                    start += chunk;
                }
            }
        }

        return failing.WithSteps(steps);
    }

    /// <summary>What a failing schedule reports: its seed, the shrunk steps, the violations and the history.</summary>
    public static string Report(ActorSystem system, ChaosSchedule failing, IReadOnlyList<string> found)
    {
        var shrunk = Shrink(system, failing, TimeSpan.FromSeconds(60));
        using var onThisThread = new NoSynchronizationContext();
        var world = new ChaosWorld(system, shrunk);
        var violations = world.Run();
        return $"""
            Fault schedule failed; replay it with CHAOS_SEED={failing.Seed} make chaos (or dotnet test --filter ChaosScheduleTests).
            It found:
              {string.Join(Environment.NewLine + "  ", found)}
            Shrunk from {failing.Steps.Count} to {shrunk.Steps.Count} steps:
            {shrunk}
            Violations of the shrunk case:
              {string.Join(Environment.NewLine + "  ", violations)}
            History:
            {string.Join(Environment.NewLine, world.History)}
            """;
    }
}
