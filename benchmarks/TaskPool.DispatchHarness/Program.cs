using System.Diagnostics;
using System.Globalization;
using System.Text;
using TaskPool;
using TaskPool.Benchmarks;

// Dispatch throughput and latency of WorkerPool against Task.Run (and Parallel.For for CPU scaling), measured side by side in one
// process, in interleaved rounds, and reported as medians and ratios: the machine is shared and noisy, ratios measured together hold.
//
//   dotnet run -c Release --project benchmarks/TaskPool.DispatchHarness -- [--rounds 5] [--seconds 1] [--out docs/benchmarks/dispatch.md] [--only "producers 1"]
//
// Scenarios (empty jobs unless said otherwise; WorkerCount = cores):
//   producers N     N async producers on the ThreadPool, each submitting batches of 256 jobs and awaiting them, jobs/s in total
//   batch 1000      one producer submits 1,000 jobs, then awaits them all, µs per job
//   serial          one producer submits a job and awaits it, again and again, µs per round trip (Task.Run with ForceYielding:
//                   the like-for-like baseline, a continuation that leaves the completing thread)
//   cpu ~20 µs      cores producers of ~20 µs jobs: throughput over cores × the single-thread rate
//   B/job           allocated bytes per job of the batch and serial scenarios
var options = HarnessOptions.Parse(args);
int cores = Environment.ProcessorCount;
int cpuSteps = CpuCalibration.StepsFor(TimeSpan.FromMicroseconds(20));
double singleThreadRate = CpuCalibration.JobsPerSecond(cpuSteps);
Console.WriteLine($"cores {cores}, .NET {Environment.Version}, load {LoadAverage.Read()}; ~20 µs job = {cpuSteps} steps, {singleThreadRate:F0} jobs/s on one thread");

var scenarios = new List<Scenario>();
foreach (int producers in new[] { 1, Math.Max(1, cores / 2), cores }.Distinct())
{
    scenarios.Add(new Scenario($"producers {producers}, batches of 256 awaited", "M jobs/s", HigherIsBetter: true,
        pool => Measure.ProducersAsync(options.Seconds, producers, 256, steps: 0, Contenders.Pool(pool)),
        () => Measure.ProducersAsync(options.Seconds, producers, 256, steps: 0, Contenders.TaskRun)));
}

scenarios.Add(new Scenario($"producers {cores}, batches of 256, High priority (ordered lane)", "M jobs/s", HigherIsBetter: true,
    pool => Measure.ProducersAsync(options.Seconds, cores, 256, steps: 0, Contenders.PoolWith(pool, static i => new JobOptions { Priority = JobPriority.High })),
    () => Measure.ProducersAsync(options.Seconds, cores, 256, steps: 0, Contenders.TaskRun)));
scenarios.Add(new Scenario($"producers {cores}, batches of 256, 8 fairness keys (ordered lane)", "M jobs/s", HigherIsBetter: true,
    pool => Measure.ProducersAsync(options.Seconds, cores, 256, steps: 0, Contenders.PoolWith(pool, static i => new JobOptions { FairnessKey = Keys.Of(i) })),
    () => Measure.ProducersAsync(options.Seconds, cores, 256, steps: 0, Contenders.TaskRun)));
scenarios.Add(new Scenario("1 producer, batch of 1,000 then await all", "µs/job", HigherIsBetter: false,
    pool => Measure.BatchAsync(options.Seconds, 1000, Contenders.Pool(pool)),
    () => Measure.BatchAsync(options.Seconds, 1000, Contenders.TaskRun)));
scenarios.Add(new Scenario("serial submit-await round trip", "µs", HigherIsBetter: false,
    pool => Measure.SerialAsync(options.Seconds, Contenders.Pool(pool)),
    () => Measure.SerialAsync(options.Seconds, Contenders.TaskRunForceYielding)));
scenarios.Add(new Scenario($"cpu ~20 µs jobs, {cores} producers (share of {cores} × single-thread rate)", "share", HigherIsBetter: true,
    pool => Measure.CpuShareAsync(options.Seconds, cores, cpuSteps, singleThreadRate, Contenders.Pool(pool)),
    () => Measure.CpuShareAsync(options.Seconds, cores, cpuSteps, singleThreadRate, Contenders.TaskRun),
    () => Task.FromResult(Measure.ParallelForShare(options.Seconds, cpuSteps, singleThreadRate))));

if (options.Only is { } only)
{
    scenarios.RemoveAll(scenario => !scenario.Name.Contains(only, StringComparison.OrdinalIgnoreCase));
}

await using var pool = new WorkerPool(new WorkerPoolOptions { Name = "harness", WorkerCount = cores, QueueCapacity = 8192 });
foreach (Scenario scenario in scenarios)
{
    await scenario.RunPool(pool); // warm-up: tiering, pooled items
    await scenario.RunBaseline();
}

for (int round = 0; round < options.Rounds; round++)
{
    foreach (Scenario scenario in scenarios)
    {
        scenario.PoolResults.Add(await scenario.RunPool(pool));
        scenario.BaselineResults.Add(await scenario.RunBaseline());
        if (scenario.RunSecondBaseline is { } second)
        {
            scenario.SecondBaselineResults.Add(await second());
        }
    }

    Console.WriteLine($"round {round + 1}/{options.Rounds} done, load {LoadAverage.Read()}");
}

double batchBytes = await Allocation.PerJobAsync(pool, batch: 1000, jobs: 200_000);
double serialBytes = await Allocation.PerJobAsync(pool, batch: 1, jobs: 100_000);

var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {cores} cores, .NET {Environment.Version}, {Environment.OSVersion}; load average at the end {LoadAverage.Read()}.");
report.AppendLine(CultureInfo.InvariantCulture, $"Medians of {options.Rounds} interleaved rounds of {options.Seconds} s per contender; WorkerCount = {cores}.");
report.AppendLine();
report.AppendLine("| scenario | unit | WorkerPool | Task.Run | ratio (goal ≥ 1 means WorkerPool is as good) | Parallel.For |");
report.AppendLine("|---|---|---:|---:|---:|---:|");
foreach (Scenario scenario in scenarios)
{
    double ours = Median(scenario.PoolResults);
    double theirs = Median(scenario.BaselineResults);
    double ratio = scenario.HigherIsBetter ? ours / theirs : theirs / ours;
    string third = scenario.SecondBaselineResults.Count > 0 ? Format(Median(scenario.SecondBaselineResults)) : "";
    report.AppendLine(CultureInfo.InvariantCulture, $"| {scenario.Name} | {scenario.Unit} | {Format(ours)} | {Format(theirs)} | {ratio:F2} | {third} |");
}

report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"Allocated per job: {batchBytes:F2} B (batches of 1,000), {serialBytes:F2} B (serial).");
Console.WriteLine();
Console.WriteLine(report);
if (options.Out is { } path)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    await File.WriteAllTextAsync(path, report.ToString());
    Console.WriteLine($"written to {path}");
}

return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static string Format(double value) => value >= 100 ? value.ToString("F0", CultureInfo.InvariantCulture) : value.ToString("F2", CultureInfo.InvariantCulture);

/// <summary>One measured scenario: WorkerPool and its baseline(s), each run once per round.</summary>
internal sealed record Scenario(string Name, string Unit, bool HigherIsBetter, Func<WorkerPool, Task<double>> Pool, Func<Task<double>> Baseline, Func<Task<double>>? SecondBaseline = null)
{
    public List<double> PoolResults { get; } = [];

    public List<double> BaselineResults { get; } = [];

    public List<double> SecondBaselineResults { get; } = [];

    public Func<Task<double>>? RunSecondBaseline => SecondBaseline;

    public Task<double> RunPool(WorkerPool pool) => Pool(pool);

    public Task<double> RunBaseline() => Baseline();
}

/// <summary>Command-line options.</summary>
internal sealed record HarnessOptions(int Rounds, double Seconds, string? Out, string? Only)
{
    public static HarnessOptions Parse(string[] args)
    {
        int rounds = 5;
        double seconds = 1;
        string? output = null;
        string? only = null;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--rounds": rounds = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--seconds": seconds = double.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--out": output = value; i++; break;
                case "--only": only = value; i++; break;
                default: throw new ArgumentException($"Unknown option {args[i]}; use --rounds N, --seconds S, --out FILE, --only TEXT.");
            }
        }

        return new HarnessOptions(rounds, seconds, output, only);
    }
}

/// <summary>The ways to run a job and get its result back.</summary>
internal static class Contenders
{
    /// <summary>Task.Run, awaited.</summary>
    public static readonly Func<int, ValueTask<long>> TaskRun = static steps => new ValueTask<long>(Task.Run(() => CpuWork.Spin(steps)));

    /// <summary>Task.Run, awaited with ForceYielding: the continuation always leaves the thread that completed the job, as a WorkerPool's does.</summary>
    public static readonly Func<int, ValueTask<long>> TaskRunForceYielding = static steps => ForceYieldingAsync(steps);

    public static Func<int, ValueTask<long>> Pool(WorkerPool pool) => steps => pool.RunAsync(steps, static (s, ct) => CpuWork.Spin(s));

    /// <summary>WorkerPool with per-job options chosen from a running job number (priority, fairness key).</summary>
    public static Func<int, ValueTask<long>> PoolWith(WorkerPool pool, Func<int, JobOptions> optionsOf)
        => steps => pool.RunAsync(steps, static (s, ct) => CpuWork.Spin(s), optionsOf(t_next++)); // a per-thread counter: no shared line

#pragma warning disable IDE1006 // thread-static fields use the t_ prefix, as in dotnet/runtime
    [ThreadStatic]
    private static int t_next;
#pragma warning restore IDE1006

    private static async ValueTask<long> ForceYieldingAsync(int steps)
    {
        Task<long> task = Task.Run(() => CpuWork.Spin(steps));
        await ((Task)task).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        return task.Result;
    }
}

/// <summary>A fixed set of fairness keys, so that the scenario allocates no key strings.</summary>
internal static class Keys
{
    private static readonly string[] s_keys = ["tenant-0", "tenant-1", "tenant-2", "tenant-3", "tenant-4", "tenant-5", "tenant-6", "tenant-7"];

    public static string Of(int i) => s_keys[i & 7];
}

/// <summary>The scenarios' loops; each runs for a bounded time and returns its figure.</summary>
internal static class Measure
{
    public static async Task<double> ProducersAsync(double seconds, int producers, int batch, int steps, Func<int, ValueTask<long>> run)
    {
        long jobs = 0;
        var stopwatch = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            var pending = new ValueTask<long>[batch];
            long done = 0;
            while (stopwatch.Elapsed < deadline)
            {
                for (int i = 0; i < batch; i++)
                {
                    pending[i] = run(steps);
                }

                for (int i = 0; i < batch; i++)
                {
                    await pending[i];
                }

                done += batch;
            }

            Interlocked.Add(ref jobs, done);
        })));
        return jobs / stopwatch.Elapsed.TotalSeconds / 1e6;
    }

    public static async Task<double> BatchAsync(double seconds, int batch, Func<int, ValueTask<long>> run)
    {
        return await Task.Run(async () =>
        {
            var pending = new ValueTask<long>[batch];
            long jobs = 0;
            var stopwatch = Stopwatch.StartNew();
            while (stopwatch.Elapsed.TotalSeconds < seconds)
            {
                for (int i = 0; i < batch; i++)
                {
                    pending[i] = run(0);
                }

                for (int i = 0; i < batch; i++)
                {
                    await pending[i];
                }

                jobs += batch;
            }

            return stopwatch.Elapsed.TotalMicroseconds / jobs;
        });
    }

    public static async Task<double> SerialAsync(double seconds, Func<int, ValueTask<long>> run)
    {
        return await Task.Run(async () =>
        {
            long jobs = 0;
            var stopwatch = Stopwatch.StartNew();
            while (stopwatch.Elapsed.TotalSeconds < seconds)
            {
                for (int i = 0; i < 100; i++)
                {
                    await run(0);
                }

                jobs += 100;
            }

            return stopwatch.Elapsed.TotalMicroseconds / jobs;
        });
    }

    public static async Task<double> CpuShareAsync(double seconds, int producers, int steps, double singleThreadRate, Func<int, ValueTask<long>> run)
    {
        double jobsPerSecond = await ProducersAsync(seconds, producers, 64, steps, run) * 1e6;
        return jobsPerSecond / (Environment.ProcessorCount * singleThreadRate);
    }

    public static double ParallelForShare(double seconds, int steps, double singleThreadRate)
    {
        long jobs = 0;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed.TotalSeconds < seconds)
        {
            Parallel.For(0, 4096, _ => CpuWork.Spin(steps));
            jobs += 4096;
        }

        return jobs / stopwatch.Elapsed.TotalSeconds / (Environment.ProcessorCount * singleThreadRate);
    }
}

/// <summary>How many xorshift steps make a job of a given length on this machine, and how many such jobs one thread runs per second.</summary>
internal static class CpuCalibration
{
    public static int StepsFor(TimeSpan target)
    {
        CpuWork.Spin(1_000_000); // warm-up
        var stopwatch = Stopwatch.StartNew();
        CpuWork.Spin(10_000_000);
        double stepsPerMicrosecond = 10_000_000 / stopwatch.Elapsed.TotalMicroseconds;
        return (int)(stepsPerMicrosecond * target.TotalMicroseconds);
    }

    public static double JobsPerSecond(int steps)
    {
        var stopwatch = Stopwatch.StartNew();
        long jobs = 0;
        while (stopwatch.Elapsed.TotalSeconds < 0.5)
        {
            CpuWork.Spin(steps);
            jobs++;
        }

        return jobs / stopwatch.Elapsed.TotalSeconds;
    }
}

/// <summary>Bytes allocated per awaited job, measured on the whole process while nothing else runs.</summary>
internal static class Allocation
{
    public static async Task<double> PerJobAsync(WorkerPool pool, int batch, int jobs)
    {
        return await Task.Run(async () =>
        {
            var pending = new ValueTask<long>[batch];
            await RunAsync(pool, pending, jobs / 10);
            long before = GC.GetTotalAllocatedBytes(precise: true);
            await RunAsync(pool, pending, jobs);
            return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)jobs;
        });
    }

    private static async Task RunAsync(WorkerPool pool, ValueTask<long>[] pending, int jobs)
    {
        for (int done = 0; done < jobs; done += pending.Length)
        {
            for (int i = 0; i < pending.Length; i++)
            {
                pending[i] = pool.RunAsync(i, static (x, ct) => (long)x);
            }

            for (int i = 0; i < pending.Length; i++)
            {
                await pending[i];
            }
        }
    }
}

/// <summary>The 1-minute load average (Linux), to print beside each figure.</summary>
internal static class LoadAverage
{
    public static string Read() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
