using ScottPlot;

namespace TaskPool.Charts;

/// <summary>A grouped bar chart: one group per category, one bar per series in each group, with a legend and value labels.</summary>
internal static class BarChart
{
    public static void Save(
        string path,
        string title,
        string valueLabel,
        IReadOnlyList<string> categories,
        IReadOnlyList<(string Name, double[] Values)> series,
        bool horizontal,
        string valueFormat = "0",
        double? referenceLine = null,
        string? referenceLabel = null,
        bool logScale = false)
    {
        // A log scale is drawn as bars of log10(value) from 0.1 with the ticks relabelled; the labels on the bars keep the real values.
        const double LogFloor = -1;
        double Scale(double value) => logScale ? Math.Log10(Math.Max(value, 0.1)) : value;
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int seriesCount = series.Count;
        double barSize = 0.8 / seriesCount;
        var bars = new List<Bar>();
        for (int s = 0; s < seriesCount; s++)
        {
            Color color = palette.GetColor(s);
            for (int c = 0; c < categories.Count; c++)
            {
                double value = series[s].Values[c];
                if (double.IsNaN(value))
                {
                    continue;
                }

                bars.Add(new Bar
                {
                    Position = c + ((s - ((seriesCount - 1) / 2.0)) * barSize),
                    Value = Scale(value),
                    ValueBase = logScale ? LogFloor : 0,
                    Size = barSize * 0.95,
                    FillColor = color,
                    Label = value.ToString(valueFormat, System.Globalization.CultureInfo.InvariantCulture),
                });
            }

            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Name, FillColor = color });
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = horizontal;
        barPlot.ValueLabelStyle.FontSize = 11;

        double[] positions = Enumerable.Range(0, categories.Count).Select(i => (double)i).ToArray();
        if (logScale)
        {
            double[] decades = Enumerable.Range(-1, 7).Select(e => (double)e).ToArray();
            string[] decadeLabels = decades.Select(e => Math.Pow(10, e).ToString("#,0.#", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            if (horizontal)
            {
                plot.Axes.Bottom.SetTicks(decades, decadeLabels);
            }
            else
            {
                plot.Axes.Left.SetTicks(decades, decadeLabels);
            }
        }

        if (referenceLine is { } reference)
        {
            reference = Scale(reference);
            if (horizontal)
            {
                var line = plot.Add.VerticalLine(reference);
                line.LegendText = referenceLabel ?? "";
                line.LinePattern = LinePattern.Dashed;
            }
            else
            {
                var line = plot.Add.HorizontalLine(reference);
                line.LegendText = referenceLabel ?? "";
                line.LinePattern = LinePattern.Dashed;
            }
        }

        if (horizontal)
        {
            plot.Axes.Left.SetTicks(positions, categories.ToArray());
            plot.Axes.Left.MajorTickStyle.Length = 0;
            plot.XLabel(valueLabel);
            plot.Axes.Margins(left: 0, right: 0.15, bottom: 0.02, top: 0.02);
        }
        else
        {
            plot.Axes.Bottom.SetTicks(positions, categories.ToArray());
            plot.Axes.Bottom.MajorTickStyle.Length = 0;
            plot.YLabel(valueLabel);
            plot.Axes.Margins(bottom: 0, top: 0.15);
        }

        plot.Title(title);
        plot.ShowLegend(Edge.Bottom);
        int height = horizontal ? Math.Max(400, 120 + (categories.Count * seriesCount * 26)) : 500;
        plot.SavePng(path, 1000, height);
        Console.WriteLine($"Wrote {path}");
    }
}
