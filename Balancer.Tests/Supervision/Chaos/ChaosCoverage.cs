namespace Balancer.Tests.Supervision.Chaos;

/// <summary>Which kinds of fault a schedule uses, so the test can show that the schedules use them all.</summary>
internal static class ChaosCoverage
{
    public static readonly IReadOnlyList<string> AllKinds =
    [
        .. Enum.GetValues<StartFault>().Where(fault => fault != StartFault.None).Select(fault => fault.ToString()),
        "Crash", "Hang", "SlowStop", "ListFailure", "Adoption", "BadRequest", "RemoveTooMany", "Spares",
    ];

    public static IEnumerable<string> KindsOf(ChaosSchedule schedule)
    {
        if (schedule.ListFailures > 0)
        {
            yield return "ListFailure";
        }

        if (schedule.Preexisting.Count > 0)
        {
            yield return "Adoption";
        }

        if (schedule.Spares > 0)
        {
            yield return "Spares";
        }

        foreach (var step in schedule.Steps)
        {
            switch (step)
            {
                case ChaosStep.FailStarts failStarts:
                    foreach (var fault in failStarts.Faults)
                    {
                        yield return fault.ToString();
                    }

                    break;
                case ChaosStep.Crash:
                    yield return "Crash";
                    break;
                case ChaosStep.Hang:
                    yield return "Hang";
                    break;
                case ChaosStep.SlowStops { Ticks: > 0 }:
                    yield return "SlowStop";
                    break;
                case ChaosStep.Add add when add.Count < 1 || add.Hostnames.Count > add.Count || add.Hostnames.Any(name => !name.All(char.IsAsciiLetterOrDigit)):
                    yield return "BadRequest";
                    break;
                case ChaosStep.Remove { Count: > 2 }:
                    yield return "RemoveTooMany";
                    break;
            }
        }
    }
}
