using System.Net.Http.Json;
using System.Text.Json;
using Experiments.Live;
using Experiments.Live.Balancers;

namespace Experiments.Cluster;

/// <summary>One balancer node of a <see cref="LocalCluster"/>: its process, HTTP API, management pages and Akka address.</summary>
public sealed class ClusterNode(int number, EmbeddedBalancer balancer, int remotingPort)
{
    private static readonly HttpClient Management = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>1, 2, 3 in the order the nodes were listed as seeds.</summary>
    public int Number { get; } = number;

    public EmbeddedBalancer Balancer { get; } = balancer;

    public BalancerApi Api => Balancer.Api;

    public int Pid => Balancer.Pid;

    /// <summary>This node's Akka address, in the form <c>/status.json</c> shows it.</summary>
    public string Address { get; } = $"akka.tcp://balancer@127.0.0.1:{remotingPort}";

    public bool Killed { get; private set; }

    /// <summary>The node's <c>/status.json</c>: who it is, who schedules, the members, its table's fingerprint.</summary>
    public async Task<NodeStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        var document = await Management.GetFromJsonAsync<JsonElement>(new Uri(Balancer.ManagementAddress, "/status.json"), cancellationToken);
        var routing = document.GetProperty("routing");
        var cluster = document.GetProperty("cluster");
        var members = cluster.ValueKind == JsonValueKind.Object
            ? cluster.GetProperty("members").EnumerateArray()
                .Select(member => new MemberStatus(member.GetProperty("address").GetString()!, member.GetProperty("status").GetString()!,
                    !member.TryGetProperty("reachable", out var reachable) || reachable.GetBoolean()))
                .ToArray()
            : [];
        return new NodeStatus(
            cluster.ValueKind == JsonValueKind.Object ? cluster.GetProperty("self").GetString() : null,
            cluster.ValueKind == JsonValueKind.Object && cluster.GetProperty("scheduler").ValueKind == JsonValueKind.String
                ? cluster.GetProperty("scheduler").GetString() : null,
            members,
            routing.GetProperty("fingerprint").GetString() ?? "",
            routing.GetProperty("version").GetInt64());
    }

    /// <summary>SIGKILL (kill -9): no shutdown of any kind, as a crash or a power cut.</summary>
    public async Task KillAsync()
    {
        Killed = true;
        await Balancer.StopAsync("KILL");
    }

    public override string ToString() => $"node {Number} ({Address}, pid {Pid})";
}

public sealed record MemberStatus(string Address, string Status, bool Reachable);

/// <param name="Self">This node's Akka address.</param>
/// <param name="Scheduler">The address of the node that runs the supervisor singleton, as this node sees it.</param>
public sealed record NodeStatus(string? Self, string? Scheduler, IReadOnlyList<MemberStatus> Members, string Fingerprint, long Version)
{
    public int UpMembers => Members.Count(member => member.Status == "up" && member.Reachable);
}
