using Experiments.Live;

namespace Experiments.Health.Targets;

/// <summary>A running balancer whose replicas the crash runs kill, and a count of the replicas that run (spares too).</summary>
internal interface ICrashTarget : IAsyncDisposable
{
    BalancerApi Api { get; }

    /// <summary>"process" or "Docker".</summary>
    string Runtime { get; }

    /// <summary>Kills the replica abruptly (SIGKILL of its process, or of its container).</summary>
    Task KillAsync(string hostname);

    /// <summary>Replica processes or containers that run now: the N serving plus any spares.</summary>
    Task<int> RunningReplicasAsync();
}
