// Load harness (not a test): starts the sample server once per hashing mode and drives it over loopback from this process.
// For each mode: /ping alone (idle), then /ping under a /hash load that saturates the CPU; reports /ping p50/p99/p99.9 and hash throughput.
// The first argument may name the mode: `latency` (that one, the default) or `scale` (1, 2, 4 instances behind HAProxy: see ScaleOutRun).
using System.Globalization;
using System.Text;
using TaskPool.LoadTest;

if (args is ["scale", ..])
{
    return await ScaleOutRun.RunAsync(args[1..]);
}

if (args is ["latency", ..])
{
    args = args[1..];
}

LoadTestOptions options;
try
{
    options = LoadTestOptions.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

string? serverDll = options.ServerPath ?? ServerLocator.FindServer();
if (serverDll is null || !File.Exists(serverDll))
{
    Console.Error.WriteLine("The sample server is not built: run `dotnet build -c Release samples/WebApi` first, or pass --server PATH/TaskPool.Samples.WebApi.dll.");
    return 2;
}

Console.WriteLine($"Server: {serverDll}");
Console.WriteLine($"Machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}");
Console.WriteLine($"Load: {options.HashConcurrency} concurrent /hash clients (PBKDF2-SHA512, 220,000 iterations), /ping at {options.PingRate}/s; idle {options.Idle.TotalSeconds:F0} s, loaded {options.Loaded.TotalSeconds:F0} s per mode");

var rows = new List<string>();
foreach (string mode in options.Modes)
{
    Console.WriteLine($"\n== Hashing:Mode={mode}");
    await using ServerProcess server = await ServerProcess.StartAsync(serverDll, mode);
    using var pingClient = CreateClient(server.Address);
    using var hashClient = CreateClient(server.Address);

    if (options.Warmup > TimeSpan.Zero)
    {
        Task warmHashes = HashLoad.RunAsync(hashClient, 2, options.Warmup);
        await PingStream.RunAsync(pingClient, options.PingRate, options.Warmup);
        await warmHashes;
    }

    string loadBefore = LoadAverage.Read();
    LatencyRecorder idle = await PingStream.RunAsync(pingClient, options.PingRate, options.Idle);
    Console.WriteLine($"   idle   /ping p50 {idle.PercentileMs(50):F2} ms, p99 {idle.PercentileMs(99):F2} ms, p99.9 {idle.PercentileMs(99.9):F2} ms ({idle.Count} ok, {idle.Failures} failed)");

    Task<(long Completed, long Failed, TimeSpan Elapsed)> hashes = HashLoad.RunAsync(hashClient, options.HashConcurrency, options.Loaded);
    LatencyRecorder loaded = await PingStream.RunAsync(pingClient, options.PingRate, options.Loaded);
    (long completed, long failed, TimeSpan elapsed) = await hashes;
    string loadAfter = LoadAverage.Read();
    double throughput = completed / elapsed.TotalSeconds;
    double ratio = loaded.PercentileMs(99) / idle.PercentileMs(99);
    Console.WriteLine($"   loaded /ping p50 {loaded.PercentileMs(50):F2} ms, p99 {loaded.PercentileMs(99):F2} ms, p99.9 {loaded.PercentileMs(99.9):F2} ms, max {loaded.MaxMs():F1} ms ({loaded.Count} ok, {loaded.Failures} failed)");
    Console.WriteLine($"   /hash {throughput:F1}/s ({completed} ok, {failed} failed in {elapsed.TotalSeconds:F1} s); load average {loadBefore} -> {loadAfter}");

    rows.Add(string.Create(
        CultureInfo.InvariantCulture,
        $"| {mode} | {idle.PercentileMs(50):F2} | {idle.PercentileMs(99):F2} | {loaded.PercentileMs(50):F2} | {loaded.PercentileMs(99):F2} | {loaded.PercentileMs(99.9):F2} | {ratio:F1}x | {throughput:F1} | {loadAfter} |"));
}

var table = new StringBuilder()
    .AppendLine("| Hashing mode | idle /ping p50 (ms) | idle p99 | loaded /ping p50 | loaded p99 | loaded p99.9 | p99 loaded/idle | /hash per s | load avg (1/5/15 min) |")
    .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
foreach (string row in rows)
{
    table.AppendLine(row);
}

Console.WriteLine();
Console.Write(table);
if (options.OutputPath is not null)
{
    await File.WriteAllTextAsync(options.OutputPath, table.ToString());
}

return 0;

static HttpClient CreateClient(Uri address) => new(new SocketsHttpHandler
{
    MaxConnectionsPerServer = 256, // an open-loop ping stream against a stalled server needs many connections at once
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
})
{
    BaseAddress = address,
    Timeout = TimeSpan.FromSeconds(60),
};
