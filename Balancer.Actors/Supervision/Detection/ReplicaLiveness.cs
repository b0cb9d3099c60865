using System.Globalization;

namespace Balancer.Actors.Supervision.Detection;

/// <summary>
/// Whether a serving replica is alive, from what its actor sees: heartbeat results, the answers its route
/// counts (traffic), and ejections by the data path. It says when to probe beyond the regular heartbeats
/// and when the replica is dead, and why. Pure: the actor passes the scheduler's time in.
/// <para>
/// Adaptive rule: every answered heartbeat and every rise of the route's answer count is a sign of life,
/// fed to a <see cref="PhiAccrualDetector"/>. The replica is suspect while it is ejected, has missed a
/// heartbeat, or its silence has reached half the phi threshold; a suspect replica is probed at once and
/// again at every traffic check, each probe with an <see cref="AdaptiveProbeTimeout"/> that doubles with
/// every miss (a replica that is merely slow gets the time it needs before the rule gives up on it). A
/// failed probe is a miss only if the replica showed no sign of life since it was sent (a loaded replica's
/// heartbeat may time out while its requests are answered). Dead, with no sign of life since: phi at the
/// threshold and two misses in a row, or one while the data path has it ejected (its traffic went
/// unanswered too); or <see cref="HeartbeatOptions.MissesBeforeDead"/> misses in a row. Phi alone never
/// kills, and any sign of life clears misses, ejection and phi at once.
/// </para>
/// <para>Fixed rule: heartbeats only, each given <see cref="HeartbeatOptions.Timeout"/>, dead after
/// MissesBeforeDead in a row; traffic and ejections are ignored.</para>
/// </summary>
public sealed class ReplicaLiveness
{
    private readonly HeartbeatOptions options;
    private readonly PhiAccrualDetector detector;
    private readonly AdaptiveProbeTimeout probeTimeout;
    private long? answers;
    private DateTimeOffset probeSentAt;
    private bool ejected;

    /// <param name="options">The heartbeat settings.</param>
    /// <param name="servingSince">When the replica answered its first heartbeat: the first sign of life. (That
    /// heartbeat's round trip is not measured: a starting replica is slower than it will be.)</param>
    public ReplicaLiveness(HeartbeatOptions options, DateTimeOffset servingSince)
    {
        this.options = options;
        detector = new PhiAccrualDetector(servingSince, options.Interval, options.MinStdDeviation);
        probeTimeout = new AdaptiveProbeTimeout(options.ProbeTimeoutFloor, options.Timeout, options.ProbeTimeoutMultiple);
    }

    public bool IsAdaptive => options.Detector == HangDetector.Adaptive;

    /// <summary>Failed probes in a row with no sign of life since each was sent.</summary>
    public int Misses { get; private set; }

    /// <summary>How long the next probe may take: the adaptive timeout, doubled for every miss, at most <see cref="HeartbeatOptions.Timeout"/>.</summary>
    public TimeSpan ProbeTimeout
    {
        get
        {
            if (!IsAdaptive)
            {
                return options.Timeout;
            }

            var doubled = probeTimeout.Current * Math.Pow(2, Math.Min(Misses, 16));
            return doubled < options.Timeout ? doubled : options.Timeout;
        }
    }

    public DateTimeOffset LastSignOfLife => detector.LastSignOfLife;

    public double Phi(DateTimeOffset now) => detector.Phi(now);

    /// <summary>
    /// The route's count of answered attempts, read at <paramref name="at"/>: a rise since the last reading is a
    /// sign of life. The first reading after <see cref="ForgetAnswers"/> (a new route) only sets the baseline.
    /// </summary>
    public void AnswersCounted(long count, DateTimeOffset at)
    {
        if (!IsAdaptive)
        {
            return;
        }

        if (answers is { } before && count != before)
        {
            SignOfLife(at);
        }

        answers = count;
    }

    /// <summary>The actor watches another route now: its count starts a new baseline.</summary>
    public void ForgetAnswers() => answers = null;

    /// <summary>The data path took the replica out of routing: suspect until it shows life (read the answer count just before).</summary>
    public void Ejected()
    {
        if (IsAdaptive)
        {
            ejected = true;
        }
    }

    /// <summary>A probe goes out; read the answer count just before, so answers given earlier are not taken for answers while it is out.</summary>
    public void ProbeSent(DateTimeOffset at) => probeSentAt = at;

    public void ProbeAnswered(DateTimeOffset at)
    {
        probeTimeout.Answered(at - probeSentAt);
        SignOfLife(at);
    }

    /// <summary>The probe sent last failed (no answer in time, refused, or not successful).</summary>
    /// <returns>Whether it counts as a miss: not when the replica showed life while the probe was out.</returns>
    public bool ProbeFailed(DateTimeOffset at)
    {
        if (IsAdaptive && detector.LastSignOfLife > probeSentAt)
        {
            return false;
        }

        Misses++;
        return true;
    }

    /// <summary>Whether to probe now, beyond the regular heartbeats (adaptive rule only).</summary>
    public bool IsSuspect(DateTimeOffset now) =>
        IsAdaptive && (ejected || Misses > 0 || detector.Phi(now) >= options.PhiThreshold / 2);

    /// <summary>Why the replica is dead at <paramref name="now"/>, or null while it is not.</summary>
    public string? DeathReason(DateTimeOffset now)
    {
        if (Misses >= options.MissesBeforeDead)
        {
            return $"missed {Misses} heartbeats in a row";
        }

        if (IsAdaptive && (Misses >= 2 || (Misses == 1 && ejected)) && detector.Phi(now) is var phi && phi >= options.PhiThreshold)
        {
            var silence = (now - detector.LastSignOfLife).TotalSeconds;
            return string.Create(CultureInfo.InvariantCulture,
                $"no answer to heartbeats or requests for {silence:0.000} s (phi {Math.Min(phi, 99):0.0} >= {options.PhiThreshold}, mean interval {detector.MeanInterval.TotalSeconds:0.000} s), {Misses} missed in a row{(ejected ? ", ejected by the data path" : "")}");
        }

        return null;
    }

    private void SignOfLife(DateTimeOffset at)
    {
        detector.SignOfLife(at);
        Misses = 0;
        ejected = false;
    }
}
