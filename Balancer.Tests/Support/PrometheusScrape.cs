using System.Globalization;
using System.Text.RegularExpressions;

namespace Balancer.Tests.Support;

/// <summary>A /metrics answer parsed from the Prometheus text format: one sample per line that is not a comment.</summary>
internal sealed partial class PrometheusScrape
{
    private PrometheusScrape(IReadOnlyList<PrometheusSample> samples) => Samples = samples;

    public IReadOnlyList<PrometheusSample> Samples { get; }

    public static async Task<PrometheusScrape> FetchAsync(HttpClient http, Uri management)
    {
        var text = await http.GetStringAsync(new Uri(management, "/metrics"));
        return Parse(text);
    }

    public static PrometheusScrape Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(pair => pair.Groups["name"].Value, pair => pair.Groups["value"].Value);
            samples.Add(new PrometheusSample(match.Groups["name"].Value, labels,
                ParseValue(match.Groups["value"].Value)));
        }

        return new PrometheusScrape(samples);
    }

    /// <summary>The value of the one sample with this name whose labels include <paramref name="labels"/>, or null.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels) =>
        Matching(name, labels).Select(sample => (double?)sample.Value).SingleOrDefault();

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public IEnumerable<PrometheusSample> Matching(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(sample => sample.Name == name && labels.All(label => sample.Labels.GetValueOrDefault(label.Name) == label.Value));

    public IReadOnlySet<string> Names => Samples.Select(sample => sample.Name).ToHashSet();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex LabelPair();
}

internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
