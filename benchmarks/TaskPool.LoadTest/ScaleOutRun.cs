using System.Globalization;
using System.Net.Http.Json;
using System.Text;

namespace TaskPool.LoadTest;

/// <summary>
/// The <c>scale</c> mode: for each shape, starts N instances behind HAProxy with the local scripts, measures closed-loop /ping and /hash
/// throughput through HAProxy (and, for one instance, straight at the instance too), stops them, and writes a markdown table.
/// </summary>
internal static class ScaleOutRun
{
    private const string Backend = "webapi";

    public static async Task<int> RunAsync(string[] args)
    {
        ScaleOutOptions options;
        try
        {
            options = ScaleOutOptions.Parse(args);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(exception.Message);
            return 2;
        }

        string? serverDll = options.ServerPath is { } path && Directory.Exists(path) ? Path.Combine(path, "TaskPool.Samples.WebApi.dll") : options.ServerPath ?? ServerLocator.FindServer();
        string? startScript = ServerLocator.FindInAncestors(Path.Combine("samples", "deploy", "local", "start.sh"));
        if (serverDll is null || !File.Exists(serverDll))
        {
            Console.Error.WriteLine("The sample server is not built: run `dotnet build -c Release samples/WebApi` first, or pass --server PATH/TaskPool.Samples.WebApi.dll.");
            return 2;
        }

        if (startScript is null)
        {
            Console.Error.WriteLine("samples/deploy/local/start.sh not found above this harness's build output.");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // end the current window, then stop the cluster in the finally blocks
            cancel.Cancel();
        };

        string appDirectory = Path.GetDirectoryName(Path.GetFullPath(serverDll))!;
        string scriptsDirectory = Path.GetDirectoryName(startScript)!;
        var header = Header(args, options, appDirectory);
        Console.Write(header);

        var measurements = new List<ScaleMeasurement>();
        for (int run = 1; run <= options.Repeat && !cancel.IsCancellationRequested; run++)
        {
            foreach (ScaleConfiguration configuration in options.Configurations)
            {
                if (cancel.IsCancellationRequested)
                {
                    break;
                }

                Console.WriteLine($"\n== run {run}: {configuration.Instances} instance(s), WorkerCount {configuration.WorkersPerInstance?.ToString(CultureInfo.InvariantCulture) ?? "default"}");
                await using LocalCluster cluster = await LocalCluster.StartAsync(scriptsDirectory, appDirectory, options, configuration);
                using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                int totalWorkers = (await cluster.WorkerCountsAsync(probe)).Sum();
                string setup = $"{configuration.Instances} × {(configuration.WorkersPerInstance is null ? "default" : configuration.WorkersPerInstance.Value.ToString(CultureInfo.InvariantCulture))}";

                var targets = new List<(string Label, Uri Address, bool ViaHaproxy)> { ($"{setup}, HAProxy", cluster.FrontEnd, true) };
                if (configuration.Instances == 1)
                {
                    targets.Insert(0, ($"{setup}, direct", cluster.Instances[0], false));
                }

                foreach ((string label, Uri address, bool viaHaproxy) in targets)
                {
                    foreach (string endpoint in (string[])["/ping", "/hash"])
                    {
                        if (cancel.IsCancellationRequested)
                        {
                            break;
                        }

                        ScaleMeasurement measurement = await MeasureAsync(
                            options, cluster, probe, run, label, configuration.Instances, totalWorkers, endpoint, address, viaHaproxy, cancel.Token);
                        measurements.Add(measurement);
                        Console.WriteLine(Describe(measurement));
                    }
                }
            }
        }

        string report = header + "\n" + Tables(measurements);
        Console.WriteLine();
        Console.Write(Tables(measurements));
        if (options.OutputPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.OutputPath))!);
            await File.WriteAllTextAsync(options.OutputPath, report);
        }

        return cancel.IsCancellationRequested ? 1 : 0;
    }

    private static async Task<ScaleMeasurement> MeasureAsync(
        ScaleOutOptions options,
        LocalCluster cluster,
        HttpClient probe,
        int run,
        string label,
        int instances,
        int totalWorkers,
        string endpoint,
        Uri address,
        bool viaHaproxy,
        CancellationToken cancellationToken)
    {
        bool hash = endpoint == "/hash";
        int concurrency = hash ? options.HashConcurrency : options.PingConcurrency;
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(64, concurrency * 2) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        Func<int, HttpRequestMessage> request = hash
            ? static id => new HttpRequestMessage(HttpMethod.Post, "/hash")
            {
                Content = JsonContent.Create(new { password = $"scale-out password {id}" }),
                Headers = { { "X-Client-Id", $"scale-out-{id}" } }, // distinct clients: the per-client queue limit applies to each
            }
            : static _ => new HttpRequestMessage(HttpMethod.Get, "/ping");

        if (options.Warmup > TimeSpan.Zero)
        {
            await ClosedLoopLoad.RunAsync(client, concurrency, options.Warmup, request, cancellationToken);
        }

        IReadOnlyDictionary<string, HaproxyServerCounters>? statsBefore = viaHaproxy ? await HaproxyStats.FetchAsync(probe, cluster.StatsCsv, Backend) : null;
        string loadBefore = LoadAverage.Read();
        CpuSample cpuBefore = CpuSample.Take(cluster.InstancePids, cluster.HaproxyPid);
        ClosedLoopResult result = await ClosedLoopLoad.RunAsync(client, concurrency, options.Duration, request, cancellationToken);
        CpuUsage cpu = CpuSample.Take(cluster.InstancePids, cluster.HaproxyPid).Since(cpuBefore);
        string loadAfter = LoadAverage.Read();
        string? haproxy = statsBefore is null ? null : HaproxySummary(statsBefore, await HaproxyStats.FetchAsync(probe, cluster.StatsCsv, Backend));
        return new ScaleMeasurement(run, label, instances, totalWorkers, endpoint, concurrency, result, cpu, loadBefore, loadAfter, haproxy);
    }

    /// <summary>Each server's share of the 2xx answers, then the backend's connection/response errors and 5xx, and any DOWN transitions or server not UP.</summary>
    private static string HaproxySummary(IReadOnlyDictionary<string, HaproxyServerCounters> before, IReadOnlyDictionary<string, HaproxyServerCounters> after)
    {
        var servers = after.Keys.Where(static name => name != "BACKEND").Order(StringComparer.Ordinal).ToList();
        long Delta(string server, Func<HaproxyServerCounters, long> counter) =>
            counter(after[server]) - (before.TryGetValue(server, out HaproxyServerCounters? earlier) ? counter(earlier) : 0);

        long total = Math.Max(1, servers.Sum(s => Delta(s, static c => c.Responses2xx)));
        string split = string.Join("/", servers.Select(s => (100.0 * Delta(s, static c => c.Responses2xx) / total).ToString("F0", CultureInfo.InvariantCulture)));
        long errors = Delta("BACKEND", static c => c.ConnectionErrors + c.ResponseErrors);
        long fivexx = Delta("BACKEND", static c => c.Responses5xx);
        long downs = servers.Sum(s => Delta(s, static c => c.CheckDowns));
        string notUp = string.Join(" ", servers.Where(s => after[s].Status != "UP").Select(s => $"{s}:{after[s].Status}"));
        return string.Create(CultureInfo.InvariantCulture, $"{split}% · err {errors} · 5xx {fivexx}{(downs > 0 ? $" · {downs} DOWN" : "")}{(notUp.Length > 0 ? $" · {notUp}" : "")}");
    }

    private static string Describe(ScaleMeasurement m) => string.Create(
        CultureInfo.InvariantCulture,
        $"   {m.Setup,-22} {m.Endpoint,-5} c={m.Concurrency,-3} {m.Result.Throughput,9:F1}/s  p50 {m.Result.Latencies.PercentileMs(50):F2} ms  p99 {m.Result.Latencies.PercentileMs(99):F2} ms  503 {m.Result.Rejected}  failed {m.Result.Failed}{(m.Result.FirstFailure is null ? "" : $" ({m.Result.FirstFailure})")}  CPU servers {m.Cpu.ServersCores:F2} haproxy {m.Cpu.HaproxyCores:F2} driver {m.Cpu.DriverCores:F2} others {m.Cpu.OthersCores:F2}  load {m.LoadBefore} -> {m.LoadAfter}{(m.Haproxy is null ? "" : $"  HAProxy {m.Haproxy}")}");

    private static string Header(string[] args, ScaleOutOptions options, string appDirectory)
    {
        var text = new StringBuilder();
        text.AppendLine("# Scale-out on one machine: 1, 2 and 4 sample-server instances behind HAProxy");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Generated by `dotnet run -c Release --project benchmarks/TaskPool.LoadTest -- scale {string.Join(' ', args)}` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; not edited by hand.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Environment.ProcessorCount} logical cores ({CpuModel()}), {Environment.OSVersion}, .NET {Environment.Version}, {HaproxyVersion()}; load average (1/5/15 min) at start {LoadAverage.Read()}.");
        text.AppendLine("- **The load driver (this harness), HAProxy and every instance share those same cores**: the driver's and HAProxy's CPU is CPU the servers do not get. The CPU columns say who used what during each measured window, in cores (CPU seconds per second, from /proc): the instances together, HAProxy, the driver, and everything else on the machine (other processes: this machine was shared).");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Server: `{appDirectory}` (Release), started by `samples/deploy/local/start.sh N` (HAProxy 'balance leastconn', keep-alive, no retries), Logging:Default = Warning, WorkerPool:FullMode = Reject (the sample's default: a full queue answers 503).");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Closed loop: {options.PingConcurrency} concurrent clients for GET /ping, {options.HashConcurrency} for POST /hash (PBKDF2-HMAC-SHA512, 220,000 iterations, on the pool); each client sends its next request when the previous answer is read. {options.Warmup.TotalSeconds:F0} s warm-up, then {options.Duration.TotalSeconds:F0} s measured, per row; {options.Repeat} run(s), the shapes interleaved.");
        text.AppendLine("- Setup `N × W`: N instances of WorkerCount W (`default` = max(1, cores − 1) per instance); `direct` = the clients hit the single instance's port, no HAProxy hop. Total workers = the sum of the instances' `/stats` workerCount.");
        return text.ToString();
    }

    private static string Tables(List<ScaleMeasurement> measurements)
    {
        var text = new StringBuilder();
        foreach (string endpoint in (string[])["/ping", "/hash"])
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"## {endpoint}");
            text.AppendLine();
            text.AppendLine($"| Run | Setup | Instances | Total workers | {(endpoint == "/hash" ? "Hashes" : "Requests")}/s | p50 (ms) | p99 (ms) | 503s | Other failures | CPU cores: servers / HAProxy / driver / others | Load avg before → after | HAProxy: 2xx split · errors · 5xx |");
            text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
            foreach (ScaleMeasurement m in measurements.Where(m => m.Endpoint == endpoint).GroupBy(static m => m.Setup).SelectMany(static g => g.OrderBy(static m => m.Run)))
            {
                text.AppendLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {m.Run} | {m.Setup} | {m.Instances} | {m.TotalWorkers} | {m.Result.Throughput:F1} | {m.Result.Latencies.PercentileMs(50):F2} | {m.Result.Latencies.PercentileMs(99):F2} | {m.Result.Rejected} | {m.Result.Failed} | {m.Cpu.ServersCores:F2} / {m.Cpu.HaproxyCores:F2} / {m.Cpu.DriverCores:F2} / {m.Cpu.OthersCores:F2} | {m.LoadBefore} → {m.LoadAfter} | {m.Haproxy ?? "–"} |"));
            }
        }

        string[] failures = [.. measurements.Where(static m => m.Result.FirstFailure is not null).Select(static m => $"- run {m.Run}, {m.Setup}, {m.Endpoint}: {m.Result.FirstFailure}")];
        if (failures.Length > 0)
        {
            text.AppendLine().AppendLine("First failure per row:").AppendLine();
            foreach (string failure in failures)
            {
                text.AppendLine(failure);
            }
        }

        return text.ToString();
    }

    private static string CpuModel()
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(static l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    private static string HaproxyVersion()
    {
        try
        {
            string binary = File.Exists("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : "haproxy";
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(binary, "-v") { RedirectStandardOutput = true, UseShellExecute = false });
            string first = process?.StandardOutput.ReadLine() ?? "HAProxy (version unknown)";
            process?.WaitForExit();
            return first.Split(' ', 4) is [var name, _, var version, ..] ? $"{name} {version}" : first;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "HAProxy not found";
        }
    }
}
