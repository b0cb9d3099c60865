namespace Balancer.Web.Management;

/// <summary>What /status.json returns and the status page shows.</summary>
internal sealed record StatusDocument(
    DateTimeOffset At,
    bool Ready,
    string Readiness,
    RoutingDescription Routing,
    int Desired,
    SpareCounts Spares,
    IReadOnlyList<ReplicaRow> Replicas,
    ChartHistory History,
    IReadOnlyList<ReplicaEvent> Events,
    ClusterStatus? Cluster);

/// <summary>The routing strategy and the parameters that shape it, and which table this node routes by.</summary>
/// <param name="Fingerprint">A stable hash of slot -> replica: nodes that show the same one route every id alike.</param>
/// <param name="Version">The table's version: the replicated inputs' in a cluster, the ring's change count on a single node.</param>
internal sealed record RoutingDescription(string Strategy, IReadOnlyDictionary<string, string> Parameters, string Fingerprint, long Version);

/// <summary>Cluster mode only (null on a single node): who is who.</summary>
/// <param name="Self">This node's Akka address (akka.tcp://balancer@host:port).</param>
/// <param name="Scheduler">The address of the node that hosts the supervisor singleton (the oldest member), null while there is none.</param>
internal sealed record ClusterStatus(string Self, string? Scheduler, IReadOnlyList<ClusterMemberStatus> Members);

/// <param name="Status">Akka's member status in lower case (joining, up, leaving, exiting, down, removed, weaklyup).</param>
/// <param name="Reachable">False while this node's failure detector considers it unreachable.</param>
internal sealed record ClusterMemberStatus(string Address, string Status, bool Reachable);

/// <param name="Configured">Balancer:Spares: how many warm spares the balancer keeps.</param>
/// <param name="Ready">Spares ready now.</param>
internal sealed record SpareCounts(int Configured, int Ready);

/// <summary>One replica. Rates, error rate and percentiles are over the last <see cref="StatusHistory.WindowSeconds"/> seconds.</summary>
/// <param name="ErrorRate">Share of its answers that were a 5xx; 0 without requests.</param>
/// <param name="P50Ms">Median latency in milliseconds (bucket upper bound, within 9 %); null without requests.</param>
internal sealed record ReplicaRow(
    string Name,
    string State,
    DateTimeOffset? Since,
    string? Address,
    double RingShare,
    double RequestsPerSecond,
    double ErrorRate,
    double? P50Ms,
    double? P99Ms,
    int InFlight,
    long Ejections,
    long FailedAttempts);

/// <summary>Requests per second per replica, one point per second, the last few minutes; null where the replica did not exist.</summary>
internal sealed record ChartHistory(int IntervalSeconds, IReadOnlyList<DateTimeOffset> Times, IReadOnlyDictionary<string, double?[]> RequestsPerSecond);
