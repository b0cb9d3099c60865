namespace Balancer.Actors.Supervision.Detection;

/// <summary>Which rule declares a serving replica dead (<c>Balancer:Heartbeat:Detector</c>).</summary>
public enum HangDetector
{
    /// <summary>Signs of life from traffic and heartbeats, phi accrual, probes at once on suspicion (see <see cref="ReplicaLiveness"/>).</summary>
    Adaptive,

    /// <summary>The rule before issue 13: <see cref="HeartbeatOptions.MissesBeforeDead"/> heartbeats in a row fail, nothing else counts.</summary>
    Fixed,
}
