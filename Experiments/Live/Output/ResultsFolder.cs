using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Experiments.Live.Output;

/// <summary>The output folder: charts, the raw numbers beside them (CSV/JSON), and summary.md.</summary>
internal sealed class ResultsFolder
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly StringBuilder summary = new();

    public ResultsFolder(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    public string Directory { get; }

    public string PathOf(string fileName) => Path.Combine(Directory, fileName);

    /// <summary>A CSV with a header row; values are written with the invariant culture.</summary>
    public void WriteCsv(string fileName, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var text = new StringBuilder().AppendLine(string.Join(',', header));
        foreach (var row in rows)
        {
            text.AppendLine(string.Join(',', row.Select(Format)));
        }

        File.WriteAllText(PathOf(fileName), text.ToString());
    }

    public void WriteJson<T>(string fileName, T value) => File.WriteAllText(PathOf(fileName), JsonSerializer.Serialize(value, Indented));

    /// <summary>Appends a Markdown section to summary.md (written by <see cref="SaveSummary"/>).</summary>
    public void AddSection(string heading, IEnumerable<string> lines)
    {
        summary.AppendLine($"## {heading}").AppendLine();
        foreach (var line in lines)
        {
            summary.AppendLine(line);
        }

        summary.AppendLine();
    }

    public void SaveSummary(string preamble) =>
        File.WriteAllText(PathOf("summary.md"), $"# Experiments: measured results\n\n{preamble}\n\n{summary}");

    public static string Format(object? value) => value switch
    {
        null => "",
        double number => number.ToString("0.####", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    /// <summary>A Markdown table from a header and rows.</summary>
    public static IEnumerable<string> Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        yield return $"| {string.Join(" | ", header)} |";
        yield return $"|{string.Concat(header.Select(_ => "---|"))}";
        foreach (var row in rows)
        {
            yield return $"| {string.Join(" | ", row.Select(Format))} |";
        }
    }
}
