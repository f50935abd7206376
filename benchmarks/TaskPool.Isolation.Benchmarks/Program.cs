using System.Diagnostics;
using System.Globalization;
using TaskPool;
using TaskPool.Isolation;
using TaskPool.Isolation.Benchmarks;
using TaskPool.Samples.Imaging;
using TaskPool.Samples.Imaging.Testing;

// Per-job cost of the process lane against the thread lane, one job at a time (latency, not throughput), plus child start-up.
// Not a test: `dotnet run -c Release --project benchmarks/TaskPool.Isolation.Benchmarks [quick]`. This program is its own worker.
ProcessWorkerHost.RunIfWorker(args, Jobs.Register);

bool quick = args.Contains("quick");
Console.WriteLine($"load average before: {LoadAverage()}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");

var startups = new List<double>();
for (int i = 0; i < (quick ? 3 : 7); i++)
{
    long start = Stopwatch.GetTimestamp();
    await using var pool = new ProcessPool(new ProcessPoolOptions { Name = "startup", ProcessCount = 1 });
    await pool.RunAsync("empty", default);
    startups.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
}

Console.WriteLine($"child start-up to first job done: median {Median(startups):F1} ms (min {startups.Min():F1}, max {startups.Max():F1}, n={startups.Count})");

byte[] kib64 = RandomBytes(64 << 10);
byte[] mib16 = RandomBytes(16 << 20);
byte[] photo = TestImages.Photo(ThumbnailFormat.Jpeg, 4000, 3000);
Console.WriteLine($"12 MP JPEG: {photo.Length} bytes");

await using var threads = new WorkerPool(new WorkerPoolOptions { Name = "thread-lane", WorkerCount = 1 });
await using var processes = new ProcessPool(new ProcessPoolOptions { Name = "process-lane", ProcessCount = 1 });

Console.WriteLine();
Console.WriteLine("| job | thread lane (median) | process lane (median) | process - thread | process / thread |");
Console.WriteLine("|---|---:|---:|---:|---:|");
int scale = quick ? 4 : 1;
await Compare("empty job", Array.Empty<byte>(), "empty", static (input, ct) => [], 2000 / scale);
await Compare("64 KiB echo (pipe)", kib64, "echo", static (input, ct) => input.ToArray(), 1000 / scale);
await Compare("16 MiB echo (shared memory)", mib16, "echo", static (input, ct) => input.ToArray(), 40 / scale);
await Compare("12 MP JPEG -> 320 px thumbnail", photo, "thumbnail", Jobs.MakeThumbnail, 24 / scale);
Console.WriteLine();
Console.WriteLine($"load average after: {LoadAverage()}");
return 0;

async Task Compare(string label, byte[] input, string jobName, Func<ReadOnlyMemory<byte>, CancellationToken, byte[]> body, int iterations)
{
    int warmup = Math.Max(3, iterations / 10);
    for (int i = 0; i < warmup; i++)
    {
        await threads.RunAsync((Memory: (ReadOnlyMemory<byte>)input, Body: body), static (s, ct) => s.Body(s.Memory, ct));
        await processes.RunAsync(jobName, input);
    }

    // Interleaved, so that a burst of load from other programs hits both lanes alike.
    var threadTimes = new List<double>(iterations);
    var processTimes = new List<double>(iterations);
    for (int i = 0; i < iterations; i++)
    {
        long start = Stopwatch.GetTimestamp();
        await threads.RunAsync((Memory: (ReadOnlyMemory<byte>)input, Body: body), static (s, ct) => s.Body(s.Memory, ct));
        threadTimes.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        start = Stopwatch.GetTimestamp();
        await processes.RunAsync(jobName, input);
        processTimes.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
    }

    double thread = Median(threadTimes);
    double process = Median(processTimes);
    Console.WriteLine($"| {label} | {Format(thread)} | {Format(process)} | {Format(process - thread)} | {process / thread:F2}x |");
}

static double Median(List<double> values)
{
    values.Sort();
    return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
}

static string Format(double microseconds) => microseconds >= 1000
    ? (microseconds / 1000).ToString("F2", CultureInfo.InvariantCulture) + " ms"
    : microseconds.ToString("F1", CultureInfo.InvariantCulture) + " µs";

static byte[] RandomBytes(int length)
{
    byte[] bytes = new byte[length];
    new Random(length).NextBytes(bytes);
    return bytes;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
