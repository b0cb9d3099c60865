namespace Experiments.Live.Balancers;

/// <summary>A running balancer the experiments drive over HTTP, and a way to crash one of its replicas.</summary>
internal interface IBalancerTarget : IAsyncDisposable
{
    BalancerApi Api { get; }

    /// <summary>Where the target lives, for the results ("embedded, spec" or the URL).</summary>
    string Description { get; }

    /// <summary>Kills the replica abruptly (SIGKILL or a container kill), as a crash would.</summary>
    Task KillReplicaAsync(string hostname, CancellationToken cancellationToken);
}
