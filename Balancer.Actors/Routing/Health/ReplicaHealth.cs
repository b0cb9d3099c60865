namespace Balancer.Actors.Routing.Health;

/// <summary>
/// One replica's health as the data path sees it, kept on its <see cref="ReplicaRoute"/>: written by request
/// threads (each attempt's outcome), read by the pickers (is it ejected?), the replica's actor (has it
/// answered anything lately?) and the metrics. Every member is safe to read from any thread.
/// </summary>
/// <remarks>
/// The state machine: routing -> (<see cref="HealthOptions.ConsecutiveFailures"/> failed attempts in a row,
/// and a place in the <see cref="EjectionBudget"/>) -> ejected until a time -> one trial request -> success:
/// readmitted; failure: ejected again for twice as long (capped). An answer costs one interlocked increment,
/// one histogram increment and a clock read; failures, ejection and readmission take a lock.
/// </remarks>
public sealed class ReplicaHealth
{
    private readonly ReplicaHealthPolicy policy;
    private readonly RecentLatency? latency;
    private readonly Lock gate = new();

    private long answers;
    private long serverErrors;
    private long ejections;
    private long readmissions;
    private long failedAttempts;
    private long retriedElsewhere;
    private long abandonedAttempts;
    private int consecutiveFailures;
    private long attemptTimeoutTicks;

    // Ejection state, written under the gate; isEjected and the trial slot are also read without it.
    private volatile bool isEjected;
    private volatile int ejectedFor = NotEjected;
    private long ejectedUntil;
    private int trialInFlight;
    private int ejectionStreak;
    private long readmittedAt = long.MinValue;
    private bool retired;

    // Until the first estimate (MinLatencySamples answers), attempts get the full timeout; from then on the
    // estimate is renewed once per window.
    private volatile bool hasEstimate;

    private const int NotEjected = -1;

    public ReplicaHealth(ReplicaHealthPolicy policy)
    {
        this.policy = policy;
        attemptTimeoutTicks = policy.AttemptTimeout.Ticks;
        if (policy.Enabled)
        {
            latency = new RecentLatency(policy.Timestamps(ReplicaHealthPolicy.LatencyWindow), policy.Time.GetTimestamp());
        }
    }

    /// <summary>Attempts this replica answered (any status that is not a failure): evidence that it is alive.</summary>
    public long Answers => Interlocked.Read(ref answers);

    /// <summary>Whether routing skips the replica now (its ids go to the next replica clockwise).</summary>
    public bool IsEjected => isEjected;

    /// <summary>Why it is ejected; null while it routes.</summary>
    public EjectionCause? EjectedFor => ejectedFor == NotEjected ? null : (EjectionCause)ejectedFor;

    /// <summary>Times the replica was ejected.</summary>
    public long Ejections => Interlocked.Read(ref ejections);

    /// <summary>Times it was readmitted after an ejection.</summary>
    public long Readmissions => Interlocked.Read(ref readmissions);

    /// <summary>Attempts that failed: refused, reset, timed out, or a 5xx when those count.</summary>
    public long FailedAttempts => Interlocked.Read(ref failedAttempts);

    /// <summary>Requests that failed here and were tried on another replica.</summary>
    public long RetriedElsewhere => Interlocked.Read(ref retriedElsewhere);

    /// <summary>Attempts abandoned because they took far longer than this replica's recent latency.</summary>
    public long AbandonedAttempts => Interlocked.Read(ref abandonedAttempts);

    /// <summary>
    /// How long an attempt that may still move on to another replica waits for this one: from its recent
    /// p99 once it has answered enough, else the full configured timeout (always, with health off).
    /// </summary>
    public TimeSpan AttemptTimeout => new(Volatile.Read(ref attemptTimeoutTicks));

    /// <summary>What the replica is judged by (its ring's options, clock and ejection budget).</summary>
    public ReplicaHealthPolicy Policy => policy;

    /// <summary>Failed attempts since the last answer.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref consecutiveFailures);

    /// <summary>Call as an attempt is sent; hand the result to <see cref="Record"/>.</summary>
    public AttemptStart Start() =>
        new(latency is null ? 0 : policy.Time.GetTimestamp(), SignsOfLife);

    /// <summary>Judges one attempt's outcome; <paramref name="trial"/> is the lease's <see cref="ReplicaLease.IsTrial"/>.</summary>
    /// <returns>Whether the replica was ejected or readmitted by it, for the caller to report.</returns>
    public HealthTransition Record(AttemptOutcome outcome, AttemptStart start, bool trial)
    {
        switch (outcome)
        {
            case AttemptOutcome.ServerError when !policy.Options.EjectOnServerErrors:
            case AttemptOutcome.Answered:
                return Answered(start, trial, serverError: outcome == AttemptOutcome.ServerError);
            case AttemptOutcome.ServerError:
                Interlocked.Increment(ref serverErrors);
                return Failed(EjectionCause.ErrorResponses, trial);
            case AttemptOutcome.Abandoned:
                return Abandoned(start, trial);
            case AttemptOutcome.NoAnswer:
                return Failed(EjectionCause.NoAnswer, trial);
            default:
                if (trial)
                {
                    Volatile.Write(ref trialInFlight, 0);
                }

                return HealthTransition.None;
        }
    }

    /// <summary>Counts a request that failed here and moved on to another replica.</summary>
    public void CountRetriedElsewhere() => Interlocked.Increment(ref retriedElsewhere);

    /// <summary>
    /// The replica left the ring: it gives its place in the ejection budget back, and outcomes of its
    /// requests still draining no longer eject it.
    /// </summary>
    public void Retire()
    {
        lock (gate)
        {
            retired = true;
            if (isEjected)
            {
                isEjected = false;
                ejectedFor = NotEjected;
                policy.Budget.Release();
            }
        }
    }

    /// <summary>Whether a picker may send a request here; a <see cref="Admission.Trial"/> must be used or handed back (<see cref="ReturnTrial"/>).</summary>
    internal Admission Admit()
    {
        if (!isEjected)
        {
            return Admission.Routable;
        }

        if (Volatile.Read(ref trialInFlight) != 0 || policy.Time.GetTimestamp() < Volatile.Read(ref ejectedUntil))
        {
            return Admission.Skip;
        }

        return Interlocked.CompareExchange(ref trialInFlight, 1, 0) == 0 ? Admission.Trial : Admission.Skip;
    }

    /// <summary>A trial the picker won but did not use (the replica was over its load cap).</summary>
    internal void ReturnTrial() => Volatile.Write(ref trialInFlight, 0);

    // Answers plus 5xx answers: anything that shows the replica is not hung.
    private long SignsOfLife => Interlocked.Read(ref answers) + Interlocked.Read(ref serverErrors);

    private HealthTransition Answered(AttemptStart start, bool trial, bool serverError)
    {
        if (serverError)
        {
            Interlocked.Increment(ref serverErrors);
        }
        else
        {
            Interlocked.Increment(ref answers);
        }

        if (latency is null)
        {
            return HealthTransition.None;
        }

        var now = policy.Time.GetTimestamp();
        latency.Add(policy.Time.GetElapsedTime(start.Timestamp, now));
        CloseLatencyWindow(now);
        if (Volatile.Read(ref consecutiveFailures) != 0)
        {
            Volatile.Write(ref consecutiveFailures, 0);
        }

        return trial ? Readmit(now) : HealthTransition.None;
    }

    private HealthTransition Abandoned(AttemptStart start, bool trial)
    {
        Interlocked.Increment(ref abandonedAttempts);
        if (latency is null)
        {
            return Failed(EjectionCause.NoAnswer, trial);
        }

        // It took at least this long: a censored sample for the next estimate.
        var now = policy.Time.GetTimestamp();
        var waited = policy.Time.GetElapsedTime(start.Timestamp, now);
        latency.Add(waited);
        CloseLatencyWindow(now);
        if (SignsOfLife == start.SignsOfLife || trial)
        {
            // Nothing answered meanwhile: hung (or its trial failed). A strike, and the timeout stays short,
            // so the next requests that still reach it (trials) cost as little.
            return Failed(EjectionCause.NoAnswer, trial);
        }

        // It answered other requests meanwhile: slow for this one, not hung. No strike, and (like TCP's
        // retransmission timer) the next attempts get twice the time this one had until the next estimate.
        RaiseAttemptTimeout(policy.Step(waited * 2));
        return HealthTransition.None;
    }

    private void CloseLatencyWindow(long now)
    {
        if (latency!.TryCloseWindow(now, policy.Options.MinLatencySamples, out var p99)
            || (!hasEstimate && latency.TryEstimate(policy.Options.MinLatencySamples, out p99)))
        {
            hasEstimate = true;
            Volatile.Write(ref attemptTimeoutTicks, policy.TimeoutFor(p99).Ticks);
        }
    }

    private void RaiseAttemptTimeout(TimeSpan raised)
    {
        var seen = Volatile.Read(ref attemptTimeoutTicks);
        while (seen < raised.Ticks)
        {
            var found = Interlocked.CompareExchange(ref attemptTimeoutTicks, raised.Ticks, seen);
            if (found == seen)
            {
                return;
            }

            seen = found;
        }
    }

    private HealthTransition Failed(EjectionCause cause, bool trial)
    {
        Interlocked.Increment(ref failedAttempts);
        if (!policy.Enabled)
        {
            return HealthTransition.None;
        }

        lock (gate)
        {
            var now = policy.Time.GetTimestamp();
            if (isEjected)
            {
                if (trial)
                {
                    // The trial failed: out again, for longer.
                    ejectionStreak++;
                    ejectedUntil = now + policy.Timestamps(policy.EjectionTime(ejectionStreak));
                    ejectedFor = (int)cause;
                    Volatile.Write(ref trialInFlight, 0);
                }

                return HealthTransition.None;
            }

            if (trial)
            {
                Volatile.Write(ref trialInFlight, 0);
            }

            if (++consecutiveFailures < policy.Options.ConsecutiveFailures || retired || !policy.Budget.TryTake())
            {
                return HealthTransition.None;
            }

            // A replica that stayed readmitted for the longest ejection time starts over at the base time.
            var stayedIn = readmittedAt != long.MinValue && now - readmittedAt >= policy.Timestamps(policy.Options.MaxEjectionTime);
            ejectionStreak = readmittedAt == long.MinValue || stayedIn ? 0 : ejectionStreak + 1;
            ejectedUntil = now + policy.Timestamps(policy.EjectionTime(ejectionStreak));
            consecutiveFailures = 0;
            ejectedFor = (int)cause;
            isEjected = true;
            Interlocked.Increment(ref ejections);
            return HealthTransition.Ejected;
        }
    }

    private HealthTransition Readmit(long now)
    {
        lock (gate)
        {
            Volatile.Write(ref trialInFlight, 0);
            if (!isEjected)
            {
                return HealthTransition.None;
            }

            isEjected = false;
            ejectedFor = NotEjected;
            readmittedAt = now;
            consecutiveFailures = 0;
            policy.Budget.Release();
            Interlocked.Increment(ref readmissions);
            return HealthTransition.Readmitted;
        }
    }
}
