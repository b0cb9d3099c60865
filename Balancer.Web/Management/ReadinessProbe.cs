namespace Balancer.Web.Management;

/// <summary>
/// <c>Balancer.Web --probe &lt;url&gt;</c>: GETs the URL and exits 0 on a 2xx, 1 otherwise. The compose
/// healthcheck runs it against /readyz because the runtime image has no curl or wget.
/// </summary>
internal static class ReadinessProbe
{
    public const string Argument = "--probe";

    public static async Task<int> RunAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            using var answer = await http.GetAsync(url);
            Console.WriteLine($"{(int)answer.StatusCode} {(await answer.Content.ReadAsStringAsync()).Trim()}");
            return answer.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"{url}: {exception.Message}");
            return 1;
        }
    }
}
