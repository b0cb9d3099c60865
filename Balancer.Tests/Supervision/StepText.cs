using Balancer.Actors.Supervision;

namespace Balancer.Tests.Supervision;

/// <summary>Transaction steps as short text, so a test reads the plan it expects.</summary>
internal static class StepText
{
    public static string[] Of(IEnumerable<TransactionStep> steps) => steps.Select(Of).ToArray();

    private static string Of(TransactionStep step) => step switch
    {
        TransactionStep.StartReplicas start => $"start {Names(start.Hostnames)}",
        TransactionStep.RetireReplicas retire => $"retire {Names(retire.Hostnames)}",
        TransactionStep.JoinRing join => $"join {Names(join.Replicas.Select(replica => replica.Hostname))}",
        TransactionStep.LeaveRing { ReportBack: true } leave => $"leave {Names(leave.Hostnames)} and report",
        TransactionStep.LeaveRing leave => $"leave {Names(leave.Hostnames)}",
        TransactionStep.StopReplicas { Drain: true } stop => $"drain and stop {Names(stop.Hostnames)}",
        TransactionStep.StopReplicas stop => $"stop {Names(stop.Hostnames)}",
        TransactionStep.ReturnSpares giveBack => $"give back {Names(giveBack.Hostnames)}",
        TransactionStep.Admit admit => $"admit {Names(admit.Hostnames)}",
        TransactionStep.Complete { Failure: { } failure } => $"fail {failure.Kind}: {failure.Message}",
        TransactionStep.Complete => "complete",
        _ => step.ToString(),
    };

    private static string Names(IEnumerable<string> hostnames) => string.Join(",", hostnames);
}
