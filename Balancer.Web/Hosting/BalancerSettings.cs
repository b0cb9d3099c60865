using Balancer.Actors.Routing;
using Balancer.Actors.Supervision;

namespace Balancer.Web.Hosting;

/// <summary>
/// The <c>Balancer</c> configuration section (appsettings.json, environment variables such as
/// <c>Balancer__Replicas=5</c>, or command-line arguments such as <c>--Balancer:Replicas=5</c>).
/// </summary>
public sealed class BalancerSettings
{
    public const string SectionName = "Balancer";

    /// <summary>N: replicas kept alive from start-up.</summary>
    public int Replicas { get; set; } = 3;

    /// <summary>Names of the first replicas (S1, S2, ... where missing).</summary>
    public List<string> ReplicaNames { get; set; } = [];

    /// <summary><c>Process</c> (default: local ReplicaServer processes) or <c>Docker</c>.</summary>
    public string Runtime { get; set; } = RuntimeKinds.Process;

    public RoutingSettings Routing { get; set; } = new();

    public HeartbeatSettings Heartbeat { get; set; } = new();

    public ForwardingSettings Forwarding { get; set; } = new();

    /// <summary>How long a removed replica may finish requests in flight before it is stopped.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Where the process runtime writes each replica's output; empty drops it.</summary>
    public string? ReplicaLogDirectory { get; set; }

    /// <summary>The ReplicaServer build the process runtime starts; empty means the copy next to the balancer.</summary>
    public string? ReplicaServerPath { get; set; }
}

public static class RuntimeKinds
{
    public const string Process = "Process";
    public const string Docker = "Docker";
}

public sealed class RoutingSettings
{
    /// <summary><c>spec</c> (default), <c>ring</c> or <c>maglev</c>.</summary>
    public string Strategy { get; set; } = RoutingStrategies.Spec;

    /// <summary>M; empty takes the strategy's default (512 for spec).</summary>
    public int? Slots { get; set; }

    /// <summary>K; empty takes the strategy's default (9 for spec).</summary>
    public int? VirtualServersPerReplica { get; set; }

    /// <summary><c>spec</c> or <c>mix64</c>; empty takes the strategy's default.</summary>
    public string? Hash { get; set; }

    public ProbingPolicy Probing { get; set; } = ProbingPolicy.Linear;

    public int MaglevTableSize { get; set; } = MaglevMap.DefaultTableSize;

    /// <summary>c for bounded loads (e.g. 1.25); empty routes by the strategy alone.</summary>
    public double? BalanceFactor { get; set; }

    public RoutingOptions ToOptions() => new()
    {
        Strategy = Strategy,
        Slots = Slots,
        VirtualServersPerReplica = VirtualServersPerReplica,
        Hash = string.IsNullOrEmpty(Hash) ? null : Hash,
        Probing = Probing,
        MaglevTableSize = MaglevTableSize,
        BalanceFactor = BalanceFactor,
    };
}

public sealed class HeartbeatSettings
{
    public TimeSpan Interval { get; set; } = new HeartbeatOptions().Interval;

    public TimeSpan Timeout { get; set; } = new HeartbeatOptions().Timeout;

    public int MissesBeforeDead { get; set; } = new HeartbeatOptions().MissesBeforeDead;

    public TimeSpan StartTimeout { get; set; } = new HeartbeatOptions().StartTimeout;

    public HeartbeatOptions ToOptions() => new()
    {
        Interval = Interval,
        Timeout = Timeout,
        MissesBeforeDead = MissesBeforeDead,
        StartTimeout = StartTimeout,
    };
}

public sealed class ForwardingSettings
{
    /// <summary>Replicas tried for one request: the one the ring picks, then the next distinct ones clockwise.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long one attempt may wait for the replica before the next replica is tried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
