using Balancer.Actors.Supervision;
using Balancer.Actors.Supervision.Detection;

namespace Balancer.Tests.Supervision.Detection;

/// <summary>
/// <see cref="ReplicaLiveness"/> driven the way the replica's actor drives it (a heartbeat every interval,
/// a traffic check every check interval, a probe at once on ejection and at every check while suspect, one
/// probe out at a time, the answer count read before an ejection or a probe goes out and when a probe fails), against a
/// modelled replica, in steps of 10 ms of modelled time.
/// </summary>
internal sealed class LivenessSimulation(HeartbeatOptions options)
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    /// <summary>Whether the replica's traffic answers rise in the step that ends at the given time.</summary>
    public Func<DateTimeOffset, bool> AnswersAt { get; init; } = _ => false;

    /// <summary>How long the replica takes to answer a heartbeat sent at the given time (infinite: never).</summary>
    public Func<DateTimeOffset, TimeSpan> HeartbeatTakes { get; init; } = _ => TimeSpan.FromMilliseconds(1);

    /// <summary>When the data path ejects the replica, if it does.</summary>
    public DateTimeOffset? EjectedAt { get; init; }

    public int Probes { get; private set; }

    public int FailedProbes { get; private set; }

    /// <summary>Runs until the replica is declared dead (returns when and why) or <paramref name="until"/> passes (null).</summary>
    public (DateTimeOffset At, string Reason)? Run(DateTimeOffset until)
    {
        var liveness = new ReplicaLiveness(options, Start);
        long answers = 0;
        var now = Start;
        var nextHeartbeat = Start + options.Interval;
        var nextCheck = Start + options.TrafficCheckInterval;
        (DateTimeOffset ResolvesAt, bool Answered)? probe = null;

        void Send()
        {
            if (probe is not null)
            {
                return;
            }

            Probes++;
            liveness.AnswersCounted(answers, now);
            liveness.ProbeSent(now);
            var takes = HeartbeatTakes(now);
            var timeout = liveness.ProbeTimeout;
            probe = takes <= timeout ? (now + takes, true) : (now + timeout, false);
        }

        while (now < until)
        {
            now += Step;
            if (AnswersAt(now))
            {
                answers++;
            }

            if (probe is { } outstanding && outstanding.ResolvesAt <= now)
            {
                probe = null;
                if (outstanding.Answered)
                {
                    liveness.ProbeAnswered(now);
                }
                else
                {
                    FailedProbes++;
                    liveness.AnswersCounted(answers, now);
                    liveness.ProbeFailed(now);
                    if (liveness.DeathReason(now) is { } reason)
                    {
                        return (now, reason);
                    }
                }
            }

            if (EjectedAt is { } ejectedAt && ejectedAt > now - Step && ejectedAt <= now)
            {
                liveness.AnswersCounted(answers, now);
                liveness.Ejected();
                if (liveness.IsAdaptive)
                {
                    Send();
                }
            }

            if (now >= nextCheck && liveness.IsAdaptive)
            {
                nextCheck += options.TrafficCheckInterval;
                liveness.AnswersCounted(answers, now);
                if (liveness.DeathReason(now) is { } reason)
                {
                    return (now, reason);
                }

                if (liveness.IsSuspect(now))
                {
                    Send();
                }
            }

            if (now >= nextHeartbeat)
            {
                nextHeartbeat += options.Interval;
                Send();
            }
        }

        return null;
    }
}
