using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TaskPool.LoadTest;

/// <summary>
/// N instances of the sample server behind HAProxy, started by <c>samples/deploy/local/start.sh N</c> on private ports and a private state
/// folder, and stopped by its <c>stop.sh</c> on dispose (which only touches what that state folder's pid files name).
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _scriptsDirectory;
    private readonly Dictionary<string, string?> _environment;

    private LocalCluster(string scriptsDirectory, Dictionary<string, string?> environment, ScaleOutOptions options, int instances)
    {
        _scriptsDirectory = scriptsDirectory;
        _environment = environment;
        StatePath = options.StatePath;
        FrontEnd = Loopback(options.LbPort);
        StatsCsv = new Uri(Loopback(options.StatsPort), "/stats;csv");
        Instances = [.. Enumerable.Range(0, instances).Select(i => Loopback(options.BasePort + i))];
    }

    public string StatePath { get; }

    /// <summary>HAProxy's front end.</summary>
    public Uri FrontEnd { get; }

    public Uri StatsCsv { get; }

    /// <summary>Each instance's own address, bypassing HAProxy.</summary>
    public IReadOnlyList<Uri> Instances { get; }

    public IReadOnlyList<int> InstancePids { get; private set; } = [];

    public int? HaproxyPid { get; private set; }

    /// <summary>Stops whatever an earlier run left in the state folder, then runs <c>start.sh</c> and waits until every instance is UP in HAProxy.</summary>
    public static async Task<LocalCluster> StartAsync(string scriptsDirectory, string appDirectory, ScaleOutOptions options, ScaleConfiguration configuration)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["TASKPOOL_LOCAL_STATE"] = options.StatePath,
            ["APP_DIR"] = appDirectory,
            ["BASE_PORT"] = options.BasePort.ToString(CultureInfo.InvariantCulture),
            ["LB_PORT"] = options.LbPort.ToString(CultureInfo.InvariantCulture),
            ["STATS_PORT"] = options.StatsPort.ToString(CultureInfo.InvariantCulture),
            ["READINESS_DELAY"] = "00:00:01", // no rolling restart here: a short delay only makes stop.sh quicker
            ["Logging__LogLevel__Default"] = "Warning",
            ["WorkerPool__WorkerCount"] = configuration.WorkersPerInstance?.ToString(CultureInfo.InvariantCulture), // null: the default
        };
        var cluster = new LocalCluster(scriptsDirectory, environment, options, configuration.Instances);
        await cluster.RunScriptAsync("stop.sh");
        try
        {
            await cluster.RunScriptAsync("start.sh", configuration.Instances.ToString(CultureInfo.InvariantCulture));
            cluster.InstancePids = [.. Enumerable.Range(0, configuration.Instances).Select(i => cluster.ReadPid($"instance-{i.ToString(CultureInfo.InvariantCulture)}.pid") ?? 0)];
            cluster.HaproxyPid = cluster.ReadPid("haproxy.pid");
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Each instance's default pool worker count, as its <c>GET /stats</c> reports it.</summary>
    public async Task<int[]> WorkerCountsAsync(HttpClient client)
    {
        var counts = new int[Instances.Count];
        for (int i = 0; i < counts.Length; i++)
        {
            using JsonDocument stats = JsonDocument.Parse(await client.GetStringAsync(new Uri(Instances[i], "/stats")));
            counts[i] = stats.RootElement.GetProperty("default").GetProperty("workerCount").GetInt32();
        }

        return counts;
    }

    public async ValueTask DisposeAsync() => await RunScriptAsync("stop.sh");

    private static Uri Loopback(int port) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");

    private int? ReadPid(string fileName)
    {
        string path = Path.Combine(StatePath, fileName);
        return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }

    private async Task RunScriptAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(_scriptsDirectory, script));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string? value) in _environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {script}.");
        var output = new StringBuilder();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output.Append(await stdout).Append(await stderr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} exited with code {process.ExitCode}: {output.ToString().Trim()}");
        }
    }
}
