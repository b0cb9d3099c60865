namespace Balancer.Web.Cluster;

/// <summary>
/// Cluster mode (<c>Balancer:Cluster</c>): several balancer nodes as one Akka.NET cluster. It is on when
/// <see cref="SeedNodes"/> lists any node; without seed nodes the balancer is a single node, as embedded.
/// The timings are chosen for nodes that share two cores with their replicas and a load generator
/// (README, Cluster mode, says why each is what it is).
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>The Akka system name every node shares: a node of another name cannot join.</summary>
    public const string SystemName = "balancer";

    /// <summary>The address remoting binds to.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>The address other nodes reach this one by (a container's name); <see cref="Hostname"/> when empty.</summary>
    public string? PublicHostname { get; init; }

    /// <summary>The remoting port.</summary>
    public int Port { get; init; } = 4053;

    /// <summary>The nodes a starting node contacts, as <c>akka.tcp://balancer@host:port</c>.</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>How often each node heartbeats the nodes it watches (the cluster failure detector).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long heartbeats may be missing before a node is unreachable: long enough for a GC pause or a
    /// starved thread pool on a loaded 2-core machine, short enough for a hand-over within 10 s.
    /// </summary>
    public TimeSpan AcceptableHeartbeatPause { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>The split-brain resolver (keep-majority) decides once the members' reachability has not changed for this long.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How a change of the replicated ring is written: <c>Majority</c> (default), <c>All</c> or <c>Local</c>.</summary>
    public string WriteConsistency { get; init; } = "Majority";

    /// <summary>How long a replicated write (and a majority read) may wait for the other nodes' answers.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>DistributedData's gossip: how soon a node the write did not reach directly has the change.</summary>
    public TimeSpan GossipInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How soon a node's ring hears of a change its replicator has (DistributedData's notify-subscribers-interval).</summary>
    public TimeSpan NotifySubscribersInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    public bool Enabled => SeedNodes.Count > 0;

    /// <summary>The host name the other nodes reach this one by.</summary>
    public string AdvertisedHostname => string.IsNullOrWhiteSpace(PublicHostname) ? Hostname : PublicHostname;

    /// <exception cref="ArgumentException">A setting cannot work; the message names it.</exception>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(Hostname))
        {
            throw new ArgumentException("Balancer:Cluster:Hostname must name the address remoting binds to.", nameof(Hostname));
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"Balancer:Cluster:Port ({Port}) must be a TCP port (0-65535).", nameof(Port));
        }

        foreach (var seed in SeedNodes)
        {
            if (!IsNodeAddress(seed))
            {
                throw new ArgumentException(
                    $"Balancer:Cluster:SeedNodes: '{seed}' is not a node address such as akka.tcp://{SystemName}@127.0.0.1:4053.", nameof(SeedNodes));
            }
        }

        RequirePositive(HeartbeatInterval, nameof(HeartbeatInterval));
        RequirePositive(StableAfter, nameof(StableAfter));
        RequirePositive(WriteTimeout, nameof(WriteTimeout));
        RequirePositive(GossipInterval, nameof(GossipInterval));
        RequirePositive(NotifySubscribersInterval, nameof(NotifySubscribersInterval));
        if (AcceptableHeartbeatPause <= HeartbeatInterval)
        {
            throw new ArgumentException(
                $"Balancer:Cluster:AcceptableHeartbeatPause ({AcceptableHeartbeatPause}) must be longer than HeartbeatInterval ({HeartbeatInterval}).",
                nameof(AcceptableHeartbeatPause));
        }

        if (!WriteConsistencies.Contains(WriteConsistency, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"Balancer:Cluster:WriteConsistency ('{WriteConsistency}') must be one of {string.Join(", ", WriteConsistencies)}.", nameof(WriteConsistency));
        }
    }

    public static IReadOnlyList<string> WriteConsistencies { get; } = ["Majority", "All", "Local"];

    private static bool IsNodeAddress(string seed) =>
        Uri.TryCreate(seed, UriKind.Absolute, out var uri)
        // akka.tcp, or with transport adapters in between (akka.trttl.tcp, as the partition test uses).
        && uri.Scheme.StartsWith("akka.", StringComparison.Ordinal) && uri.Scheme.EndsWith(".tcp", StringComparison.Ordinal)
        && uri.UserInfo == SystemName
        && !string.IsNullOrEmpty(uri.Host)
        && uri.Port > 0
        && uri.AbsolutePath is "" or "/";

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Balancer:Cluster:{name} ({value}) must be positive.", name);
        }
    }
}
