using ScottPlot;

namespace Experiments.Live.Output;

/// <summary>The PNG charts of the experiments, drawn with ScottPlot: titled, axes labelled with units, a legend.</summary>
internal static class Charts
{
    private const int Width = 900;
    private const int Height = 540;

    /// <summary>Groups of bars: one group per label on the x axis, one bar per series inside it.</summary>
    public static void GroupedBars(string path, string title, string xLabel, string yLabel,
        IReadOnlyList<string> groups, IReadOnlyList<(string Series, double[] Values)> series)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var slot = 1.0 / (series.Count + 1);
        for (var index = 0; index < series.Count; index++)
        {
            var color = palette.GetColor(index);
            var bars = series[index].Values.Select((value, group) => new Bar
            {
                Position = group + (index - (series.Count - 1) / 2.0) * slot,
                Value = value,
                Size = slot * 0.9,
                FillColor = color,
                Label = value.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
            }).ToList();
            var barPlot = plot.Add.Bars(bars);
            barPlot.LegendText = series[index].Series;
            barPlot.ValueLabelStyle.FontSize = series.Count > 3 ? 9 : 12;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, groups.Count).Select(group => (double)group).ToArray(), groups.ToArray());
        plot.Axes.Margins(bottom: 0, top: 0.15);
        Finish(plot, path, title, xLabel, yLabel);
    }

    /// <summary>Lines over a numeric x axis, one per series, with markers at the measured points.</summary>
    public static void Lines(string path, string title, string xLabel, string yLabel,
        double[] xs, IReadOnlyList<(string Series, double[] Values)> series, Alignment legend = Alignment.UpperRight)
    {
        var plot = new Plot();
        foreach (var (name, values) in series)
        {
            var line = plot.Add.Scatter(xs, values);
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = 7;
        }

        // The x values are counts of replicas: ticks only where something was measured.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            xs, xs.Select(x => x.ToString("0", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        Finish(plot, path, title, xLabel, yLabel, legend);
    }

    /// <summary>Lines over time with labelled vertical markers (e.g. the kill and its detection).</summary>
    public static void Timeline(string path, string title, string xLabel, string yLabel,
        double[] xs, IReadOnlyList<(string Series, double[] Values)> series, IReadOnlyList<(string Label, double X)> markers)
    {
        var plot = new Plot();
        foreach (var (name, values) in series)
        {
            var line = plot.Add.ScatterLine(xs, values);
            line.LegendText = name;
            line.LineWidth = 1.5f;
        }

        var palette = new ScottPlot.Palettes.Category10();
        for (var index = 0; index < markers.Count; index++)
        {
            var marker = plot.Add.VerticalLine(markers[index].X);
            marker.LegendText = markers[index].Label;
            marker.LinePattern = LinePattern.Dashed;
            marker.LineWidth = 2;
            marker.Color = palette.GetColor(9 - index);
        }

        plot.Axes.Margins(bottom: 0);
        Finish(plot, path, title, xLabel, yLabel);
    }

    /// <summary>
    /// One dot per measurement over time, y on a log scale (latencies from 1 ms to seconds in one chart),
    /// with labelled vertical markers. Values at or below zero are drawn at 0.1.
    /// </summary>
    public static void PointsOverTime(string path, string title, string xLabel, string yLabel,
        IReadOnlyList<(string Series, double[] Xs, double[] Ys)> series, IReadOnlyList<(string Label, double X)> markers)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var index = 0; index < series.Count; index++)
        {
            var (name, xs, ys) = series[index];
            var points = plot.Add.ScatterPoints(xs, ys.Select(y => Math.Log10(Math.Max(y, 0.1))).ToArray());
            points.LegendText = name;
            points.MarkerSize = 3;
            points.Color = palette.GetColor(index).WithAlpha(0.5);
        }

        for (var index = 0; index < markers.Count; index++)
        {
            var marker = plot.Add.VerticalLine(markers[index].X);
            marker.LegendText = markers[index].Label;
            marker.LinePattern = LinePattern.Dashed;
            marker.LineWidth = 2;
            marker.Color = palette.GetColor(9 - index);
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture),
        };
        Finish(plot, path, title, xLabel, yLabel, Alignment.UpperLeft);
    }

    private static void Finish(Plot plot, string path, string title, string xLabel, string yLabel, Alignment legend = Alignment.UpperRight)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(legend);
        plot.SavePng(path, Width, Height);
    }
}
