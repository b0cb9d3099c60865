using System.Reflection;
using Experiments.Live.Balancers;

namespace Balancer.Tests.Support;

/// <summary>The real balancer (the Balancer.Web build of this configuration) as the HTTP tests start it.</summary>
internal static class TestBalancer
{
    private static readonly string Binary = Path.Combine(
        typeof(TestBalancer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "BalancerWebDirectory").Value!,
        "Balancer.Web");

    /// <summary>Starts a balancer and waits until it lists <paramref name="replicas"/> serving replicas.</summary>
    public static Task<EmbeddedBalancer> StartAsync(int replicas = 3, params string[] settings) =>
        EmbeddedBalancer.StartAsync(Binary, replicas,
        [
            // Frequent heartbeats keep the failover tests short; the timeout stays at the default, so a busy
            // machine (builds running beside the tests) does not make a healthy replica look dead.
            "--Balancer:Heartbeat:Interval=00:00:00.200",
            "--Balancer:Forwarding:AttemptTimeout=00:00:01",
            .. settings,
        ]);
}
