using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;
using Perfolizer.Metrology;
using TaskPool.Benchmarks;

if (args.Length > 0 && args[0] == "soak")
{
    // dotnet run -c Release --project benchmarks/TaskPool.Benchmarks -- soak [--minutes 10]
    int minutes = args.Length > 2 && args[1] == "--minutes" ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
    return await Soak.RunAsync(TimeSpan.FromMinutes(minutes), Console.Out);
}

// Besides the default exporters: a CSV with plain numbers (ns, bytes) that benchmarks/TaskPool.Charts reads to draw the charts.
var numbers = new SummaryStyle(CultureInfo.InvariantCulture, printUnitsInHeader: true, sizeUnit: SizeUnit.B, timeUnit: TimeUnit.Nanosecond, printUnitsInContent: false);
IConfig config = DefaultConfig.Instance
    .AddExporter(new CsvExporter(CsvSeparator.Comma, numbers))
    .AddColumn(StatisticColumn.Median);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
