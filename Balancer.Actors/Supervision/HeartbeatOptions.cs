using Balancer.Actors.Supervision.Detection;

namespace Balancer.Actors.Supervision;

/// <summary>
/// How replicas are watched (<c>Balancer:Heartbeat</c>). Two detectors:
/// <list type="bullet">
/// <item><see cref="HangDetector.Fixed"/>, the rule before issue 13, kept for before/after comparisons: a
/// replica is dead after <see cref="MissesBeforeDead"/> heartbeats in a row fail, each given
/// <see cref="Timeout"/>, i.e. within about MissesBeforeDead x max(Interval, Timeout) (about 4 s with the
/// defaults). Traffic and ejections are not looked at.</item>
/// <item><see cref="HangDetector.Adaptive"/> (the default): answers the replica gives to traffic count as signs
/// of life as much as heartbeats do, a phi accrual detector over those signs of life says when a silence
/// is abnormal for this replica, an ejection by the data path (or such a silence, or a missed heartbeat)
/// makes the replica suspect and it is probed at once and then every <see cref="TrafficCheckInterval"/>,
/// each probe with a timeout adapted to its recent heartbeat round trips (doubled after each miss). With
/// no sign of life since, it is declared dead once phi has reached <see cref="PhiThreshold"/> and two
/// probes in a row failed (one, while the data path has it ejected), or once <see cref="MissesBeforeDead"/>
/// probes in a row failed. See <see cref="ReplicaLiveness"/>.</item>
/// </list>
/// The defaults are chosen for this 2-core machine, where a heartbeat to a healthy replica on loopback
/// takes about a millisecond when idle and tens of milliseconds under a saturating load (every process
/// shares two cores): under traffic (ejected by the data path within about 0.1 s) a hang is declared dead
/// about 0.6-0.8 s after the replica's last answer; without traffic 1-1.5 s after its last answered
/// heartbeat (against about 4 s before). A slow replica that still answers is never declared dead, since
/// every answer it gives resets the rule.
/// </summary>
public sealed record HeartbeatOptions
{
    /// <summary>
    /// Time between regular heartbeats. 0.5 s: ten heartbeats a second per replica would cost nothing on
    /// loopback either, but with traffic the answers decide, and without traffic 0.5 s already puts
    /// detection near 1 s.
    /// </summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long one heartbeat may take before it counts as missed: the timeout of every probe with
    /// <see cref="HangDetector.Fixed"/>, and the most the adaptive probe timeout grows to (a replica slower
    /// than that to answer <c>/heartbeat</c> is not serving). Also the timeout of the heartbeats before a
    /// replica first serves.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Heartbeats in a row that fail before a replica is dead: the whole rule with
    /// <see cref="HangDetector.Fixed"/>, the upper bound with <see cref="HangDetector.Adaptive"/> (whose
    /// probes, with their shorter timeouts, reach it within about a second of suspicion).
    /// </summary>
    public int MissesBeforeDead { get; init; } = 3;

    /// <summary>How long a started replica has to answer its first heartbeat.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a starting replica is asked for its first heartbeat (at most <see cref="Interval"/>). A
    /// replacement serves the moment it answers: at the heartbeat interval a process that is ready after
    /// 200 ms would wait until 500 ms. A replica that does not listen yet refuses at once, so polling costs little.
    /// </summary>
    public TimeSpan StartupPollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The period of heartbeats until the first good one.</summary>
    public TimeSpan FirstHeartbeatInterval => StartupPollInterval < Interval ? StartupPollInterval : Interval;

    /// <summary>Which rule declares a serving replica dead: <c>Adaptive</c> (default) or <c>Fixed</c> (the old rule).</summary>
    public HangDetector Detector { get; init; } = HangDetector.Adaptive;

    /// <summary>
    /// Phi at which a silence counts as abnormal: 8, as Akka's cluster uses, which with the minimum deviation
    /// below is a silence of about mean + 5.2 x 100 ms (0.6 s after the last answer under traffic, 1 s after
    /// the last heartbeat without). Phi alone never kills: a probe must have failed too.
    /// </summary>
    public double PhiThreshold { get; init; } = 8;

    /// <summary>
    /// The least standard deviation phi assumes for the time between signs of life. Under traffic they come
    /// every <see cref="TrafficCheckInterval"/> with almost no spread, which would make a 20 ms hiccup look
    /// abnormal; 100 ms covers a scheduling stall or a GC on a loaded 2-core machine (Akka's default too).
    /// </summary>
    public TimeSpan MinStdDeviation { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The least time a probe is given (adaptive detector). 300 ms: ten times the round trip of a heartbeat
    /// under a saturating load here, and short enough that an ejection, one timed-out probe and the silence
    /// phi asks for all fit in well under a second. <see cref="Timeout"/> still caps it when it is shorter;
    /// after a miss the next probe is given twice as long, so a replica starved of CPU for a moment (a build
    /// beside it) is asked again with more patience before it is given up on.
    /// </summary>
    public TimeSpan ProbeTimeoutFloor { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// The adaptive probe timeout is this multiple of the slowest of the replica's recent heartbeat round
    /// trips (at least <see cref="ProbeTimeoutFloor"/>, at most <see cref="Timeout"/>): a replica that is
    /// slow under load gets the time it has been needing, several times over.
    /// </summary>
    public double ProbeTimeoutMultiple { get; init; } = 4;

    /// <summary>
    /// How often the replica's actor looks at the answers its route counts (a sign of life from traffic,
    /// without a clock shared with request threads) and judges it again (adaptive detector); also the
    /// spacing of probes while it is suspect. 100 ms: a tenth of the detection target, ten cheap messages a
    /// second per replica.
    /// </summary>
    public TimeSpan TrafficCheckInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A replica the data path ejected (for error responses, or for requests it left unanswered while it
    /// still passes heartbeats) and did not readmit within this time is declared dead and replaced like one.
    /// 5 s (the most the issue allows): clients see no failure meanwhile (their requests go to the next
    /// replica), and a replica that recovers gets several trial requests before it is given up on; with the
    /// ejection (under 1 s) and a new replica's start (under 1 s) that is replaced in about 6-7 s.
    /// </summary>
    public TimeSpan ReplaceFailingAfter { get; init; } = TimeSpan.FromSeconds(5);

    public void Validate()
    {
        if (Interval <= TimeSpan.Zero || Timeout <= TimeSpan.Zero || StartTimeout <= TimeSpan.Zero || StartupPollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("Heartbeat interval, timeout, start timeout and start-up poll interval must be positive.");
        }

        if (MissesBeforeDead < 1)
        {
            throw new ArgumentException("Heartbeat misses before dead must be at least 1.");
        }

        if (!Enum.IsDefined(Detector))
        {
            throw new ArgumentException($"Heartbeat detector '{Detector}' is unknown; use Adaptive or Fixed.");
        }

        if (!double.IsFinite(PhiThreshold) || PhiThreshold <= 0)
        {
            throw new ArgumentException("Heartbeat PhiThreshold must be a positive number.");
        }

        if (MinStdDeviation <= TimeSpan.Zero || ProbeTimeoutFloor <= TimeSpan.Zero || TrafficCheckInterval <= TimeSpan.Zero ||
            ReplaceFailingAfter <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                "Heartbeat MinStdDeviation, ProbeTimeoutFloor, TrafficCheckInterval and ReplaceFailingAfter must be positive.");
        }

        if (!double.IsFinite(ProbeTimeoutMultiple) || ProbeTimeoutMultiple < 1)
        {
            throw new ArgumentException("Heartbeat ProbeTimeoutMultiple must be at least 1.");
        }
    }
}
