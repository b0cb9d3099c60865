using Experiments.Live.Output;

namespace Experiments.Live.Runs;

/// <summary>A-3, first half: every endpoint of the balancer called once, with the status it must answer.</summary>
internal static class EndpointChecks
{
    public sealed record Check(string Request, int Expected, int Status, string Body)
    {
        public bool Passed => Status == Expected;
    }

    public static async Task<IReadOnlyList<Check>> RunAsync(ExperimentContext context, BalancerApi api)
    {
        var extra = Scaling.FreeNames((await api.ListAsync()).Replicas, 1)[0];
        (string Label, HttpMethod Method, string Path, string? Body, int Expected)[] calls =
        [
            ("GET /rep", HttpMethod.Get, "/rep", null, 200),
            ("GET /home?id=132574", HttpMethod.Get, "/home?id=132574", null, 200),
            ("GET /heartbeat", HttpMethod.Get, "/heartbeat", null, 200),
            ($"POST /add {{n:1, hostnames:[{extra}]}}", HttpMethod.Post, "/add", $"{{\"n\":1,\"hostnames\":[\"{extra}\"]}}", 200),
            ($"DELETE /rm {{n:1, hostnames:[{extra}]}}", HttpMethod.Delete, "/rm", $"{{\"n\":1,\"hostnames\":[\"{extra}\"]}}", 200),
            ("POST /add with more hostnames than n", HttpMethod.Post, "/add", "{\"n\":1,\"hostnames\":[\"X1\",\"X2\"]}", 400),
            ("DELETE /rm with more hostnames than n", HttpMethod.Delete, "/rm", "{\"n\":1,\"hostnames\":[\"X1\",\"X2\"]}", 400),
            ("GET /other (unknown path)", HttpMethod.Get, "/other", null, 400),
        ];

        var checks = new List<Check>();
        foreach (var (label, method, path, body, expected) in calls)
        {
            var response = await api.SendAsync(method, path, body);
            checks.Add(new Check(label, expected, response.Status, response.Body.ReplaceLineEndings(" ")));
        }

        context.Results.WriteJson("a3-endpoints.json", checks);
        context.Results.AddSection("A-3: endpoints", [
            .. ResultsFolder.Table(["Request", "Expected", "Status", "Body"],
                checks.Select(check => (IReadOnlyList<object?>)[check.Request, check.Expected, check.Status, $"`{check.Body.Replace("|", "\\|", StringComparison.Ordinal)}`"])),
        ]);
        context.Highlights.Add(("A-3", "endpoint checks passed", $"{checks.Count(check => check.Passed)}/{checks.Count}"));
        return checks;
    }
}
