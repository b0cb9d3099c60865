namespace Balancer.Web.Cluster;

/// <summary>
/// Cluster mode (<c>Balancer:Cluster</c>): several balancer nodes as one Akka.NET cluster. It is on when
/// <see cref="SeedNodes"/> lists any node; without seed nodes the balancer is a single node, as embedded.
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>The address remoting binds to.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>The address other nodes reach this one by (a container's name); <see cref="Hostname"/> when empty.</summary>
    public string? PublicHostname { get; init; }

    /// <summary>The remoting port.</summary>
    public int Port { get; init; } = 4053;

    /// <summary>The nodes a starting node contacts, as <c>akka.tcp://balancer@host:port</c>.</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    public bool Enabled => SeedNodes.Count > 0;
}
