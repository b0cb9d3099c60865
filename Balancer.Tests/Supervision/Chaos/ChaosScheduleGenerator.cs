namespace Balancer.Tests.Supervision.Chaos;

/// <summary>Random fault schedules from a seed: the same seed always gives the same schedule.</summary>
internal static class ChaosScheduleGenerator
{
    private static readonly string[] NamePool = ["h1", "h2", "h3", "h4", "h5", "S1", "S2"];
    private static readonly string[] BadNames = ["S5\n", "bad_name", "-x", "", "localhost."];
    private static readonly StartFault[] Faults = Enum.GetValues<StartFault>().Where(fault => fault != StartFault.None).ToArray();

    public static ChaosSchedule Generate(int seed, int steps)
    {
        var random = new Random(seed);
        var replicas = random.Next(1, 5);
        var preexisting = random.Next(4) == 0 ? NamePool.Take(random.Next(1, 3)).ToArray() : [];
        var listFailures = random.Next(6) == 0 ? random.Next(1, 4) : 0;
        var schedule = new List<ChaosStep>(steps);
        for (var index = 0; index < steps; index++)
        {
            schedule.Add(NextStep(random));
        }

        // Drawn last, so a seed's steps are the ones it had before spares existed.
        var spares = random.Next(3);
        return new ChaosSchedule(seed, replicas, preexisting, listFailures, schedule, spares);
    }

    private static ChaosStep NextStep(Random random)
    {
        var roll = random.Next(100);
        return roll switch
        {
            < 18 => NextAdd(random),
            < 34 => NextRemove(random),
            < 46 => new ChaosStep.Crash(random.Next(8)),
            < 53 => new ChaosStep.Hang(random.Next(8)),
            < 57 => new ChaosStep.Recover(random.Next(8)),
            < 69 => new ChaosStep.FailStarts(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Faults[random.Next(Faults.Length)]).ToArray()),
            < 74 => new ChaosStep.ReleaseHungStarts(random.Next(2) == 0),
            < 79 => new ChaosStep.SlowStops(random.Next(3) == 0 ? 0 : random.Next(1, 40)),
            _ => new ChaosStep.Advance(random.Next(4) == 0 ? random.Next(50, 400) : random.Next(1, 30)),
        };
    }

    private static ChaosStep NextAdd(Random random)
    {
        var count = random.Next(1, 4);
        var named = random.Next(count + 1);
        var hostnames = Enumerable.Range(0, named).Select(_ => NamePool[random.Next(NamePool.Length)]).ToList();
        switch (random.Next(12))
        {
            case 0:
                hostnames.Add(BadNames[random.Next(BadNames.Length)]);
                break;
            case 1:
                // More names than n: the spec's own failure case.
                hostnames.AddRange(NamePool.Take(count + 1 - hostnames.Count));
                break;
            case 2:
                count = random.Next(-1, 1);
                break;
        }

        return new ChaosStep.Add(count, hostnames);
    }

    private static ChaosStep NextRemove(Random random)
    {
        var count = random.Next(4) == 0 ? random.Next(3, 9) : random.Next(1, 3);
        var listed = Enumerable.Range(0, random.Next(Math.Min(count, 2) + 1)).Select(_ => random.Next(8)).ToArray();
        var unknown = random.Next(10) == 0 ? new[] { "nobody" } : [];
        return new ChaosStep.Remove(count, listed, unknown);
    }
}
