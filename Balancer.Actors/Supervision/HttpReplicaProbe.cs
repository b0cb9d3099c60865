using Balancer.Actors.Runtime;

namespace Balancer.Actors.Supervision;

/// <summary><c>GET /heartbeat</c> over one pooled client shared by every replica actor.</summary>
public sealed class HttpReplicaProbe : IReplicaProbe, IDisposable
{
    private readonly HttpClient client = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        // A replacement may reuse an address; don't keep talking to a dead replica's socket forever.
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    public async Task<bool> IsServingAsync(RunningReplica replica, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        using var response = await client.GetAsync(new Uri(replica.Address, "/heartbeat"), cancellation.Token);
        return response.IsSuccessStatusCode;
    }

    public void Dispose() => client.Dispose();
}
