using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Experiments.Health.Runs;

/// <summary>
/// wrk (Debian's package) against a loopback URL, with a Lua script that gives every request a random
/// six-digit X-Request-ID, as the spec's clients send. Bounded: wrk's own duration, and a kill by its
/// pid if it runs 30 s past that.
/// </summary>
internal static partial class Wrk
{
    public const string InstallHint = "wrk is not installed: apt-get install -y wrk";

    public sealed record Summary(long Requests, double RequestsPerSecond, long Non2xx, long SocketErrors, string? P99Latency, string Output);

    public static string? Locate() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "wrk")).FirstOrDefault(File.Exists);

    public static async Task<Summary> RunAsync(string wrk, Uri home, int connections, TimeSpan duration, int seed)
    {
        var script = Path.Combine(Path.GetTempPath(), $"lb-wrk-random-ids-{Environment.ProcessId}.lua");
        await File.WriteAllTextAsync(script, LuaScript(seed));
        try
        {
            var startInfo = new ProcessStartInfo(wrk)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[]
            {
                "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--timeout", "10s", "--latency", "-s", script, home.ToString(),
            })
            {
                startInfo.ArgumentList.Add(argument);
            }

            using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {wrk}");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var bound = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw new TimeoutException($"wrk (pid {process.Id}) ran past {duration.TotalSeconds + 30:0} s and was killed");
            }

            var text = await output + await errors;
            return Parse(text);
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>Each wrk thread seeds its own generator (seed + thread number), so threads send different ids.</summary>
    private static string LuaScript(int seed) => $$"""
        local threads = 0
        function setup(thread)
          threads = threads + 1
          thread:set("number", threads)
        end
        function init(args)
          math.randomseed({{seed}} + number)
        end
        function request()
          return wrk.format("GET", "/home", { ["X-Request-ID"] = tostring(math.random(100000, 999999)) })
        end

        """;

    public static Summary Parse(string output)
    {
        long Number(Regex pattern, int group = 1) =>
            pattern.Match(output) is { Success: true } match ? long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

        var socket = SocketErrors().Match(output);
        var socketErrors = socket.Success ? Enumerable.Range(1, 4).Sum(group => long.Parse(socket.Groups[group].Value, CultureInfo.InvariantCulture)) : 0;
        var rate = RequestsPerSecond().Match(output);
        var p99 = P99().Match(output);
        return new Summary(Number(RequestCount()), rate.Success ? double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            Number(Non2xx()), socketErrors, p99.Success ? p99.Groups[1].Value : null, output);
    }

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestCount();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"^\s*99%\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex P99();
}
