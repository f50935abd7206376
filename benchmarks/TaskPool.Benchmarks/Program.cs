using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;
using Perfolizer.Metrology;

// Besides the default exporters: a CSV with plain numbers (ns, bytes) that benchmarks/TaskPool.Charts reads to draw the charts.
var numbers = new SummaryStyle(CultureInfo.InvariantCulture, printUnitsInHeader: true, sizeUnit: SizeUnit.B, timeUnit: TimeUnit.Nanosecond, printUnitsInContent: false);
IConfig config = DefaultConfig.Instance
    .AddExporter(new CsvExporter(CsvSeparator.Comma, numbers))
    .AddColumn(StatisticColumn.Median);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
