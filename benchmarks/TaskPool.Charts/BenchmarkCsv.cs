using System.Globalization;

namespace TaskPool.Charts;

/// <summary>One row of a BenchmarkDotNet CSV report (the suite exports plain numbers: ns and bytes), or of the latency harness's CSV.</summary>
internal sealed class CsvRow(Dictionary<string, string> cells)
{
    public string this[string column] => cells.TryGetValue(column, out string? value) ? value : "";

    /// <summary>The benchmark's description, without BenchmarkDotNet's quotes.</summary>
    public string Method => this["Method"].Trim('\'');

    public double Number(string column)
    {
        string text = this[column].Replace(",", "", StringComparison.Ordinal);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : double.NaN;
    }
}

internal static class BenchmarkCsv
{
    /// <summary>Reads a CSV file with a header row; fields may be double-quoted.</summary>
    public static List<CsvRow> Read(string path)
    {
        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0)
        {
            return [];
        }

        List<string> header = Split(lines[0]);
        var rows = new List<CsvRow>();
        foreach (string line in lines.Skip(1).Where(l => l.Length > 0))
        {
            List<string> fields = Split(line);
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < header.Count && i < fields.Count; i++)
            {
                cells[header[i]] = fields[i];
            }

            rows.Add(new CsvRow(cells));
        }

        return rows;
    }

    /// <summary>The CSV report of one benchmark class in BenchmarkDotNet's results folder, or an empty list when it was not run.</summary>
    public static List<CsvRow> ReadReport(string resultsDir, string className)
    {
        string path = Path.Combine(resultsDir, $"TaskPool.Benchmarks.{className}-report.csv");
        if (!File.Exists(path))
        {
            Console.WriteLine($"(no {path}: skipped)");
            return [];
        }

        return Read(path);
    }

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
