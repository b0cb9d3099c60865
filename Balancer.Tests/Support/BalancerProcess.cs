using System.Diagnostics;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;

namespace Balancer.Tests.Support;

/// <summary>The real balancer (Balancer.Web) as a process on a free loopback port, with its replicas.</summary>
internal sealed class BalancerProcess : IAsyncDisposable
{
    private static readonly string Directory = typeof(BalancerProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "BalancerWebDirectory").Value!;

    private readonly Process process;
    private readonly StringWriter log = new();

    private BalancerProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public int Pid => process.Id;

    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>Starts a balancer and waits until it lists <paramref name="replicas"/> serving replicas.</summary>
    public static async Task<BalancerProcess> StartAsync(int replicas = 3, params string[] settings)
    {
        var port = LoopbackPorts.Free();
        var startInfo = new ProcessStartInfo(Path.Combine(Directory, "Balancer.Web"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory,
        };
        startInfo.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        startInfo.ArgumentList.Add($"--Balancer:Replicas={replicas}");
        // Frequent heartbeats keep the failover tests short; the timeout stays at the default, so a busy
        // machine (builds running beside the tests) does not make a healthy replica look dead.
        startInfo.ArgumentList.Add("--Balancer:Heartbeat:Interval=00:00:00.200");
        startInfo.ArgumentList.Add("--Balancer:Forwarding:AttemptTimeout=00:00:01");
        foreach (var setting in settings)
        {
            startInfo.ArgumentList.Add(setting);
        }

        var balancer = new BalancerProcess(Process.Start(startInfo)!, new Uri($"http://127.0.0.1:{port}"));
        balancer.process.OutputDataReceived += balancer.Append;
        balancer.process.ErrorDataReceived += balancer.Append;
        balancer.process.BeginOutputReadLine();
        balancer.process.BeginErrorReadLine();

        var ready = false;
        await Eventually.HoldsAsync(async () =>
        {
            // A balancer that refused its configuration has exited: no point in waiting for it.
            if (balancer.process.HasExited)
            {
                return true;
            }

            var (n, _) = await balancer.ListAsync();
            ready = n == replicas && balancer.ReplicaPids().Count == replicas;
            return ready;
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        if (!ready)
        {
            await balancer.DisposeAsync();
            throw new InvalidOperationException($"The balancer did not start {replicas} replicas:\n{balancer.Log}");
        }

        return balancer;
    }

    public async Task<(int N, IReadOnlyList<string> Replicas)> ListAsync()
    {
        using var document = await GetJsonAsync("/rep");
        var message = document.RootElement.GetProperty("message");
        var replicas = message.GetProperty("replicas").EnumerateArray().Select(item => item.GetString()!).ToArray();
        return (message.GetProperty("N").GetInt32(), replicas);
    }

    public async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    public async Task<(int Status, JsonDocument Body)> SendAsync(HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>Sends a body as the bytes given, which need not be UTF-8 text.</summary>
    public async Task<(int Status, JsonDocument Body)> SendBytesAsync(HttpMethod method, string path, byte[] body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    public Task<(int Status, JsonDocument Body)> AddAsync(object body) => SendAsync(HttpMethod.Post, "/add", JsonSerializer.Serialize(body));

    public Task<(int Status, JsonDocument Body)> RemoveAsync(object body) => SendAsync(HttpMethod.Delete, "/rm", JsonSerializer.Serialize(body));

    /// <summary>The replica that served <paramref name="requestId"/> (from X-Replica), or null on failure.</summary>
    public async Task<(int Status, string? Replica)> HomeAsync(long requestId, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/home");
        request.Headers.Add("X-Request-ID", requestId.ToString());
        using var response = await Client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var message = body.GetProperty("message").GetString()!;
        const string prefix = "Hello from Server: ";
        return ((int)response.StatusCode, message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message);
    }

    public IReadOnlyDictionary<string, int> ReplicaPids() => ReplicaProcesses.Of(process.Id);

    public async Task StopAsync(string signal = "TERM")
    {
        if (process.HasExited)
        {
            return;
        }

        Signals.Send(signal, process.Id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        await process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        var replicas = ReplicaPids().Values.ToArray();
        try
        {
            await StopAsync();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        foreach (var pid in replicas.Where(ReplicaProcesses.IsAlive))
        {
            Signals.Send("CONT", pid);
            Signals.Send("KILL", pid);
        }

        Client.Dispose();
        process.Dispose();
    }

    private void Append(object sender, DataReceivedEventArgs line)
    {
        if (line.Data is not null)
        {
            lock (log)
            {
                log.WriteLine(line.Data);
            }
        }
    }
}
