using System.Diagnostics;
using System.Globalization;
using System.Text;
using HdrHistogram;
using TaskPool.Benchmarks;
using TaskPool.LatencyHarness;

// Latency distributions that BenchmarkDotNet's means hide: submit→start (the wake-up) and submit→result (the caller's await),
// for an empty job submitted from an async method on the ThreadPool, one at a time with ~1 ms between probes, on an idle pool
// and on a pool kept busy by background producers submitting ~50 µs jobs. Every loop is bounded in count and in time.
//
//   dotnet run -c Release --project benchmarks/TaskPool.LatencyHarness -- [--samples 5000] [--seconds 15] [--out docs/benchmarks]
//   dotnet run -c Release --project benchmarks/TaskPool.LatencyHarness -- --serial [--samples 20000]   (where a serial round trip's time goes)
if (args.Contains("--serial"))
{
    int count = args.SkipWhile(a => a != "--samples").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(20_000);
    await SerialBreakdown.RunAsync(count);
    return 0;
}

int samples = 5000;
double maxSeconds = 15;
string outDir = "docs/benchmarks";
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--samples": samples = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--seconds": maxSeconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--out": outDir = args[i + 1]; break;
        default: throw new ArgumentException($"Unknown option {args[i]}");
    }
}

int cores = Environment.ProcessorCount;
string loadBefore = LoadAverage();
var rows = new List<Row>();
Func<Contender>[] contenders = [() => new WorkerPoolContender(cores), () => new WorkerPoolContender(Math.Max(1, cores - 1)), () => new WorkerPoolContender(cores, spin: false), () => new TaskRunContender(), () => new ActionBlockContender(cores)];
foreach (bool loaded in new[] { false, true })
{
    foreach (Func<Contender> create in contenders)
    {
        using Contender contender = create();
        string scenario = loaded ? "Loaded" : "Idle";
        Console.WriteLine($"{contender.Name}, {scenario} (load average {LoadAverage()})");
        (LongHistogram start, LongHistogram result) = await Measure(contender, loaded, samples, maxSeconds, cores);
        rows.Add(new Row(contender.Name, scenario, "submit→start", start));
        rows.Add(new Row(contender.Name, scenario, "submit→result", result));
        Console.WriteLine($"  submit→start p50 {Micros(start, 50)} p99 {Micros(start, 99)} µs; submit→result p50 {Micros(result, 50)} p99 {Micros(result, 99)} µs; n = {start.TotalCount}");
    }
}

string loadAfter = LoadAverage();
Directory.CreateDirectory(outDir);
WriteReports(outDir, rows, cores, samples, maxSeconds, loadBefore, loadAfter);
return 0;

static async Task<(LongHistogram Start, LongHistogram Result)> Measure(Contender contender, bool loaded, int samples, double maxSeconds, int cores)
{
    // Warm up: JIT, pools, ThreadPool threads. Not recorded.
    for (int i = 0; i < 2000; i++)
    {
        await contender.ProbeAsync();
    }

    using var stopLoad = new CancellationTokenSource();
    Task[] load = loaded
        ? Enumerable.Range(0, cores).Select(_ => Task.Run(() => KeepBusy(contender, stopLoad.Token))).ToArray()
        : [];
    if (loaded)
    {
        await Task.Delay(200); // let the load settle
    }

    const long Highest = 60_000_000_000; // 60 s in ns; a slower sample is clamped to it
    var start = new LongHistogram(Highest, 3);
    var result = new LongHistogram(Highest, 3);
    await Task.Run(async () =>
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < samples && clock.Elapsed.TotalSeconds < maxSeconds; i++)
        {
            await Task.Delay(1); // ~1 ms apart: longer than the spin before parking, so an idle pool's workers are parked
            long submitted = Stopwatch.GetTimestamp();
            long started = await contender.ProbeAsync();
            long returned = Stopwatch.GetTimestamp();
            start.RecordValue(Math.Min(Highest, ToNanoseconds(Math.Max(0, started - submitted))));
            result.RecordValue(Math.Min(Highest, ToNanoseconds(returned - submitted)));
        }
    });

    stopLoad.Cancel();
    await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(30));
    return (start, result);
}

// One background producer: keeps two ~50 µs jobs in flight (submits one whenever one completes), so that with one producer per core
// every worker has a job running and one waiting.
static async Task KeepBusy(Contender contender, CancellationToken stop)
{
    const int Window = 2;
    var inFlight = new Queue<ValueTask<long>>(Window);
    var clock = Stopwatch.StartNew();
    while (!stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(120))
    {
        while (inFlight.Count < Window)
        {
            inFlight.Enqueue(contender.LoadAsync(CpuWork.FiftyMicroseconds));
        }

        await inFlight.Dequeue();
    }

    while (inFlight.Count > 0)
    {
        await inFlight.Dequeue();
    }
}

static long ToNanoseconds(long ticks) => (long)(ticks * (1e9 / Stopwatch.Frequency));

static string Micros(LongHistogram histogram, double percentile)
    => (histogram.GetValueAtPercentile(percentile) / 1000.0).ToString("0.0", CultureInfo.InvariantCulture);

static string LoadAverage()
    => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static void WriteReports(string outDir, List<Row> rows, int cores, int samples, double maxSeconds, string loadBefore, string loadAfter)
{
    double[] percentiles = [50, 90, 99, 99.9];
    var csv = new StringBuilder("Contender,Scenario,Metric,Samples,P50_us,P90_us,P99_us,P99_9_us,Max_us\n");
    var md = new StringBuilder();
    md.AppendLine("# Latency: submit→start and submit→result");
    md.AppendLine();
    md.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `benchmarks/TaskPool.LatencyHarness` on {cores} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}.");
    md.AppendLine(CultureInfo.InvariantCulture, $"Load average (1, 5, 15 min) before: {loadBefore}; after: {loadAfter} (a shared machine: other builds ran meanwhile).");
    md.AppendLine();
    md.AppendLine(CultureInfo.InvariantCulture, $"An empty job is submitted from an async method on the ThreadPool, awaited, then the next one ~1 ms later (up to {samples} samples or {maxSeconds} s per row, after 2,000 unrecorded warm-up probes). ");
    md.AppendLine("*Idle*: nothing else runs on the contender, so its threads are parked (or, for the ThreadPool, idle) when a probe arrives. ");
    md.AppendLine(CultureInfo.InvariantCulture, $"*Loaded*: {cores} background producers keep it busy with ~50 µs jobs, each keeping two in flight (a running and a waiting job per worker). ");
    md.AppendLine("WorkerPool runs with WorkerCount = cores, with its default (cores − 1), and with cores and SpinBeforeParking = 0; ActionBlock with one thread per core. Values in µs (HdrHistogram, 3 significant digits).");
    md.AppendLine();
    md.AppendLine("| Contender | Scenario | Metric | Samples | p50 | p90 | p99 | p99.9 | max |");
    md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
    foreach (Row row in rows)
    {
        string[] values = percentiles.Select(p => Micros(row.Histogram, p)).Append((row.Histogram.GetMaxValue() / 1000.0).ToString("0.0", CultureInfo.InvariantCulture)).ToArray();
        md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Contender} | {row.Scenario} | {row.Metric} | {row.Histogram.TotalCount} | {string.Join(" | ", values)} |");
        csv.AppendLine(CultureInfo.InvariantCulture, $"\"{row.Contender}\",{row.Scenario},{row.Metric},{row.Histogram.TotalCount},{string.Join(',', values)}");
    }

    File.WriteAllText(Path.Combine(outDir, "latency.md"), md.ToString());
    File.WriteAllText(Path.Combine(outDir, "latency.csv"), csv.ToString());
    Console.WriteLine($"Wrote {Path.Combine(outDir, "latency.md")} and latency.csv");
}

internal sealed record Row(string Contender, string Scenario, string Metric, LongHistogram Histogram);
