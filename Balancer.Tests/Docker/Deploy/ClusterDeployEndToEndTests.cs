using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Balancer.Actors.Runtime.Docker;
using Balancer.Tests.Support;
using Docker.DotNet.Models;
using NodeStatus = Experiments.Cluster.NodeStatus;
using MemberStatus = Experiments.Cluster.MemberStatus;
using Xunit.Abstractions;

namespace Balancer.Tests.Docker.Deploy;

/// <summary>
/// `make deploy NODES=3` end to end: three balancer containers as one cluster sharing one set of replica
/// containers, a change through one node seen by the others, the scheduler's container killed while clients
/// use the other two (no failed request; the replicas are adopted, not replaced; changes work again), and
/// `make down` leaving nothing. Its own project, instance id, network and free host ports, like the one-node test.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ClusterDeployEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    private readonly HttpClient management = new() { Timeout = TimeSpan.FromSeconds(5) };
    private DeployedStack? stack;

    private DeployedStack Stack => stack ?? throw new InvalidOperationException("The stack exists from InitializeAsync on.");

    public Task InitializeAsync()
    {
        // Created here, not in the constructor, so a skipped test never touches the engine.
        stack = new DeployedStack(nodes: 3);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        management.Dispose();
        if (stack is not null)
        {
            await stack.DisposeAsync();
        }
    }

    [DockerFact]
    public async Task ThreeNodesShareTheReplicasSurviveTheSchedulersDeathAndDownLeavesNothing()
    {
        var clock = Stopwatch.StartNew();
        var (exitCode, log) = await Stack.DeployAsync();
        output.WriteLine($"measured: deploy.sh NODES=3 -> every node lists {Stack.InitialReplicas.Count} replicas {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(exitCode == 0, log);
        Assert.Equal(3, (await Stack.ProjectContainersAsync()).Count);
        Assert.Equal(3, (await Stack.ReplicaContainersAsync()).Count);

        // One cluster: every node sees three members up, names the same scheduler, routes by the same table.
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var statuses = await StatusesAsync([0, 1, 2]);
            return statuses.All(status => status.UpMembers == 3) && statuses.Select(status => status.Scheduler).Distinct().Count() == 1
                && statuses.Select(status => status.Fingerprint).Distinct().Count() == 1;
        }, Settle), "the three nodes did not form one cluster with one table");

        await AssertAChangeThroughOneNodeIsSeenByTheOthersAsync();
        await AssertKillingTheSchedulersContainerFailsNoRequestOnTheOthersAsync();

        (exitCode, log) = await Stack.DownAsync();
        Assert.True(exitCode == 0, log);
        Assert.Empty(await Stack.ReplicaContainersAsync());
        Assert.Empty(await Stack.ProjectContainersAsync());
        Assert.False(await Stack.NetworkExistsAsync(), $"network {Stack.Network} outlived down");
    }

    private async Task AssertAChangeThroughOneNodeIsSeenByTheOthersAsync()
    {
        var added = Stack.Name("C1");
        Assert.Equal(200, (await Stack.Apis[1].AddAsync(1, added)).Status);
        var clock = Stopwatch.StartNew();
        Assert.True(await Eventually.HoldsAsync(async () => (await Stack.Apis[0].ListAsync()).Replicas.Contains(added)
            && (await Stack.Apis[2].ListAsync()).Replicas.Contains(added), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10)),
            "an /add through node 2 did not reach the /rep of nodes 1 and 3");
        output.WriteLine($"measured: /add through node 2 answered -> in /rep of nodes 1 and 3 {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(4, (await Stack.ReplicaContainersAsync()).Count(container => container.State == "running"));

        Assert.Equal(200, (await Stack.Apis[2].RemoveAsync(1, added)).Status);
        Assert.True(await Eventually.HoldsAsync(async () => !(await Stack.Apis[0].ListAsync()).Replicas.Contains(added)
            && !(await Stack.Apis[1].ListAsync()).Replicas.Contains(added), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10)),
            "an /rm through node 3 did not reach the /rep of nodes 1 and 2");
        Assert.True(await Eventually.HoldsAsync(async () => (await Stack.ReplicaContainersAsync()).Count == 3, Settle), "the removed replica's container lingers");
    }

    private async Task AssertKillingTheSchedulersContainerFailsNoRequestOnTheOthersAsync()
    {
        var scheduler = (await StatusesAsync([0])).Single().Scheduler!;
        // Addresses are akka.tcp://balancer@balancer-<n>:4053: the node's service name.
        var schedulerNode = int.Parse(scheduler.Split('@')[1].Split(':')[0]["balancer-".Length..]) - 1;
        var survivors = Enumerable.Range(0, 3).Where(node => node != schedulerNode).ToArray();
        var containersBefore = await ContainerIdsByReplicaAsync();
        var schedulerContainer = (await Stack.ProjectContainersAsync())
            .Single(container => container.Labels["com.docker.compose.service"] == $"balancer-{schedulerNode + 1}");

        var loads = survivors.Select(node => new Api.LoadLoop(id => Stack.Apis[node].HomeAsync(id),
            Enumerable.Range(0, 200).Select(index => 100000L + index * 4111).ToArray())).ToArray();
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(loads.All(load => load.Completed > 50)), TimeSpan.FromSeconds(30)),
            "the clients did not get going");

        var clock = Stopwatch.StartNew();
        await Stack.Client.Containers.KillContainerAsync(schedulerContainer.ID, new ContainerKillParameters { Signal = "SIGKILL" });
        // The scheduler answers again on a survivor once an /rm of a name nobody has is refused by it (changes nothing).
        var answers = await Eventually.HoldsAsync(async () =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var request = new HttpRequestMessage(HttpMethod.Delete, "/rm")
            {
                Content = new StringContent("""{"n":1,"hostnames":["nobody-has-it"]}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Stack.AdminToken);
            using var response = await Stack.Apis[survivors[0]].Http.SendAsync(request, timeout.Token);
            return (int)response.StatusCode == 400 && (await response.Content.ReadAsStringAsync()).Contains("does not exist");
        }, Settle, TimeSpan.FromMilliseconds(200));
        var answeredAfter = clock.Elapsed;
        var added = Stack.Name("K1");
        var add = await Stack.Apis[survivors[0]].AddAsync(1, added);
        var remove = await Stack.Apis[survivors[1]].RemoveAsync(1, added);
        var changedAfter = clock.Elapsed;

        // Traffic goes on a little after the hand-over, then the clients stop.
        var settled = loads.Sum(load => load.Completed);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(loads.Sum(load => load.Completed) > settled + 100), TimeSpan.FromSeconds(30)));
        foreach (var load in loads)
        {
            await load.StopAsync();
        }

        var failures = loads.SelectMany(load => load.Failures).ToArray();
        output.WriteLine($"measured: docker kill of the scheduler's node -> the scheduler answers on a survivor {answeredAfter.TotalSeconds:0.00} s, "
            + $"/add + /rm done {changedAfter.TotalSeconds:0.00} s; {loads.Sum(load => load.Completed)} requests on the survivors, {failures.Length} failed");
        Assert.True(answers, "the scheduler did not answer again on a survivor");
        Assert.Equal(200, add.Status);
        Assert.Equal(200, remove.Status);
        Assert.True(failures.Length == 0, string.Join("\n", failures.Take(10)));
        // Adopted, not replaced: the same containers serve the same names.
        Assert.True(await Eventually.HoldsAsync(async () => (await ContainerIdsByReplicaAsync()).SequenceEqual(containersBefore), Settle),
            "the replicas after the hand-over are not the containers of before");
        foreach (var node in survivors)
        {
            Assert.Equal(Stack.InitialReplicas.Order(), (await Stack.Apis[node].ListAsync()).Replicas.Order());
        }
    }

    private async Task<IReadOnlyList<NodeStatus>> StatusesAsync(IEnumerable<int> nodes) =>
        await Task.WhenAll(nodes.Select(async node =>
        {
            var document = await management.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{Stack.ManagementPorts[node]}/status.json");
            var cluster = document.GetProperty("cluster");
            return new NodeStatus(
                cluster.GetProperty("self").GetString(),
                cluster.GetProperty("scheduler").GetString(),
                cluster.GetProperty("members").EnumerateArray()
                    .Select(member => new MemberStatus(member.GetProperty("address").GetString()!, member.GetProperty("status").GetString()!,
                        !member.TryGetProperty("reachable", out var reachable) || reachable.GetBoolean()))
                    .ToArray(),
                document.GetProperty("routing").GetProperty("fingerprint").GetString()!,
                document.GetProperty("routing").GetProperty("version").GetInt64());
        }));

    /// <summary>The stack's running replica containers, by the replica name on their label.</summary>
    private async Task<SortedDictionary<string, string>> ContainerIdsByReplicaAsync() =>
        new((await Stack.ReplicaContainersAsync()).Where(container => container.State == "running")
            .ToDictionary(container => container.Labels[DockerLabels.Replica], container => container.ID));
}
