using System.Collections.Concurrent;
using Yarp.ReverseProxy.Forwarder;

namespace Balancer.Web.Forwarding;

/// <summary>
/// One YARP request configuration per attempt timeout, built once and reused: adaptive timeouts take only
/// a few values (steps 19% apart, see <c>ReplicaHealthPolicy</c>), so a request costs a lookup, not an allocation.
/// </summary>
internal sealed class AttemptConfigs
{
    private readonly ConcurrentDictionary<TimeSpan, ForwarderRequestConfig> byTimeout = new();

    public ForwarderRequestConfig For(TimeSpan attemptTimeout) =>
        byTimeout.TryGetValue(attemptTimeout, out var config)
            ? config
            : byTimeout.GetOrAdd(attemptTimeout, static timeout => new ForwarderRequestConfig { ActivityTimeout = timeout });
}
