using Experiments.Live;
using Experiments.Live.Balancers;

namespace Experiments.Health.Targets;

/// <summary>An embedded balancer with the process runtime: replicas are its child processes.</summary>
internal sealed class ProcessCrashTarget(EmbeddedBalancer balancer) : ICrashTarget
{
    public BalancerApi Api => balancer.Api;

    public string Runtime => "process";

    public Task KillAsync(string hostname) => balancer.KillReplicaAsync(hostname, CancellationToken.None);

    public Task<int> RunningReplicasAsync() => Task.FromResult(balancer.ReplicaPids().Count);

    public ValueTask DisposeAsync() => balancer.DisposeAsync();
}
