using TaskPool.Charts;

// Draws the PNG charts of docs/benchmarks from BenchmarkDotNet's CSV reports (run the suite first) and the latency harness's CSV.
//
//   dotnet run -c Release --project benchmarks/TaskPool.Charts -- [--results BenchmarkDotNet.Artifacts/results] [--latency docs/benchmarks/latency.csv] [--out docs/benchmarks]
string results = "BenchmarkDotNet.Artifacts/results";
string latency = "docs/benchmarks/latency.csv";
string outDir = "docs/benchmarks";
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--results": results = args[i + 1]; break;
        case "--latency": latency = args[i + 1]; break;
        case "--out": outDir = args[i + 1]; break;
        default: throw new ArgumentException($"Unknown option {args[i]}");
    }
}

Directory.CreateDirectory(outDir);
int cores = Environment.ProcessorCount;

// 1, 2: dispatch cost of an empty job, serial and in batches: ns/job and B/job per contender.
List<CsvRow> serial = BenchmarkCsv.ReadReport(results, "SerialDispatchBenchmarks");
List<CsvRow> batch = BenchmarkCsv.ReadReport(results, "BatchDispatchBenchmarks");
List<CsvRow> batchEmpty = batch.Where(r => r["Work"] == "Empty").ToList();
if (serial.Count > 0 || batchEmpty.Count > 0)
{
    string[] contenders = batchEmpty.Select(r => r.Method).Concat(serial.Select(r => r.Method)).Distinct().Where(m => !m.StartsWith("Inline", StringComparison.Ordinal)).ToArray();
    foreach ((string column, string file, string label, string format) in new[]
    {
        ("Mean [ns]", "dispatch-ns-per-job.png", "ns per job (mean)", "0"),
        ("Allocated [B]", "dispatch-bytes-per-job.png", "bytes allocated per job", "0"),
    })
    {
        BarChart.Save(
            Path.Combine(outDir, file),
            $"Empty job: {label}, {cores} cores",
            label,
            contenders,
            [
                ("Serial: submit, await, repeat", contenders.Select(c => Value(serial, c, column)).ToArray()),
                ("Batch: 1,000 submitted, then awaited", contenders.Select(c => Value(batchEmpty, c, column)).ToArray()),
            ],
            horizontal: true,
            valueFormat: format);
    }
}

// 3: batch time per job relative to Task.Run, per workload.
if (batch.Count > 0)
{
    string[] works = ["Empty", "OneMicrosecond", "FiftyMicroseconds"];
    string[] contenders = batch.Select(r => r.Method).Distinct().ToArray();
    BarChart.Save(
        Path.Combine(outDir, "dispatch-batch-ratio.png"),
        "Batch of 1,000 jobs: time per job relative to Task.Run (lower is better)",
        "time per job / Task.Run's",
        contenders,
        works.Select(w =>
        {
            List<CsvRow> rows = batch.Where(r => r["Work"] == w).ToList();
            double taskRun = Value(rows, "Task.Run", "Mean [ns]");
            return (w switch { "Empty" => "empty job", "OneMicrosecond" => "~1 µs job", _ => "~50 µs job" }, contenders.Select(c => Value(rows, c, "Mean [ns]") / taskRun).ToArray());
        }).ToList(),
        horizontal: true,
        valueFormat: "0.00",
        referenceLine: 1,
        referenceLabel: "Task.Run");
}

// 4, 5: scaling with workers and producers.
List<CsvRow> scaling = BenchmarkCsv.ReadReport(results, "ScalingBenchmarks");
if (scaling.Count > 0)
{
    var configs = scaling.Select(r => (W: r["Workers"], P: r["Producers"])).Distinct().ToArray();
    string[] labels = configs.Select(c => $"{c.W} worker(s), {c.P} producer(s)").ToArray();
    string[] contenders = scaling.Select(r => r.Method).Where(m => !m.StartsWith("Inline", StringComparison.Ordinal)).Distinct().ToArray();
    List<CsvRow> Rows(string work, (string W, string P) c) => scaling.Where(r => r["Work"] == work && r["Workers"] == c.W && r["Producers"] == c.P).ToList();

    BarChart.Save(
        Path.Combine(outDir, "scaling-50us.png"),
        "~50 µs jobs: throughput as a multiple of one thread running them inline",
        "× single-thread rate (higher is better)",
        labels,
        contenders.Select(m => (m, configs.Select(c =>
        {
            List<CsvRow> rows = Rows("FiftyMicroseconds", c);
            return Value(rows, rows.FirstOrDefault(r => r.Method.StartsWith("Inline", StringComparison.Ordinal))?.Method ?? "", "Mean [ns]") / Value(rows, m, "Mean [ns]");
        }).ToArray())).ToList(),
        horizontal: false,
        valueFormat: "0.00",
        referenceLine: 0.95 * cores,
        referenceLabel: $"target: 0.95 × {cores} cores");

    BarChart.Save(
        Path.Combine(outDir, "scaling-empty.png"),
        "Empty jobs: ns per job with 1 or all workers and producers",
        "ns per job (lower is better)",
        labels,
        contenders.Select(m => (m, configs.Select(c => Value(Rows("Empty", c), m, "Mean [ns]")).ToArray())).ToList(),
        horizontal: false);
}

// 6: real jobs: speed-up over one thread.
List<CsvRow> pbkdf2 = BenchmarkCsv.ReadReport(results, "Pbkdf2Benchmarks");
List<CsvRow> thumbnail = BenchmarkCsv.ReadReport(results, "ThumbnailBenchmarks");
if (pbkdf2.Count > 0 || thumbnail.Count > 0)
{
    string Short(string method) => method.Split(" (", 2)[0];
    string[] contenders = pbkdf2.Concat(thumbnail).Select(r => Short(r.Method)).Distinct().ToArray();
    double Speedup(List<CsvRow> rows, string contender)
    {
        CsvRow? inline = rows.FirstOrDefault(r => r.Method.StartsWith("Inline", StringComparison.Ordinal));
        CsvRow? row = rows.FirstOrDefault(r => Short(r.Method) == contender);
        return inline is null || row is null ? double.NaN : inline.Number("Mean [ns]") / row.Number("Mean [ns]");
    }

    BarChart.Save(
        Path.Combine(outDir, "real-jobs-speedup.png"),
        $"Real jobs in batches: throughput as a multiple of one thread ({cores} cores)",
        "× single-thread rate (higher is better)",
        contenders,
        [
            ("PBKDF2-SHA512, 10,000 iterations (8 jobs)", contenders.Select(c => Speedup(pbkdf2, c)).ToArray()),
            ("12 MP JPEG → 320 px thumbnail (4 jobs)", contenders.Select(c => Speedup(thumbnail, c)).ToArray()),
        ],
        horizontal: true,
        valueFormat: "0.00");
}

// 7, 8: latency percentiles from the harness: p50, p99 and p99.9 (a contender that stalls often completes fewer probes, and its stalls sit past p99).
if (File.Exists(latency))
{
    List<CsvRow> rows = BenchmarkCsv.Read(latency);
    foreach ((string metric, string file) in new[] { ("submit→start", "latency-submit-to-start.png"), ("submit→result", "latency-submit-to-result.png") })
    {
        List<CsvRow> selected = rows.Where(r => r["Metric"] == metric).ToList();
        string[] labels = selected.Select(r => $"{r["Contender"]}, {r["Scenario"].ToLowerInvariant()}").ToArray();
        BarChart.Save(
            Path.Combine(outDir, file),
            $"{metric} latency of an empty job, idle and loaded pool ({cores} cores)",
            "µs, log scale (lower is better)",
            labels,
            new[] { ("p50", "P50_us"), ("p99", "P99_us"), ("p99.9", "P99_9_us") }.Select(p => (p.Item1, selected.Select(r => r.Number(p.Item2)).ToArray())).ToList(),
            horizontal: true,
            valueFormat: "0.0",
            referenceLine: metric == "submit→start" ? 100 : null,
            referenceLabel: "target: p99 wake-up < 100 µs (idle)",
            logScale: true);
    }
}
else
{
    Console.WriteLine($"(no {latency}: latency charts skipped)");
}

return 0;

static double Value(List<CsvRow> rows, string method, string column)
    => rows.FirstOrDefault(r => r.Method == method)?.Number(column) ?? double.NaN;
