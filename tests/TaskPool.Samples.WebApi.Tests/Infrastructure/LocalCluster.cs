using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TaskPool.Samples.WebApi.Tests.Infrastructure;

/// <summary>
/// N instances of the sample server behind a real HAProxy, started, restarted and stopped by the scripts users run
/// (samples/deploy/local/start.sh, rolling-restart.sh, stop.sh), on a private state folder and a free block of loopback ports.
/// The instances run the sample server from this test's output folder (<c>APP_DIR</c>), so nothing is published.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan s_scriptTimeout = TimeSpan.FromMinutes(3);

    private readonly string _state;
    private readonly Dictionary<string, string> _environment;

    private LocalCluster(int instances, int basePort, TimeSpan readinessDelay)
    {
        Instances = instances;
        _state = Directory.CreateTempSubdirectory("taskpool-local-").FullName;
        int loadBalancerPort = basePort + instances;
        Address = new Uri($"http://127.0.0.1:{loadBalancerPort}");
        StatsAddress = new Uri($"http://127.0.0.1:{loadBalancerPort + 1}/stats;csv");
        _environment = new(StringComparer.Ordinal)
        {
            ["TASKPOOL_LOCAL_STATE"] = _state,
            ["APP_DIR"] = AppContext.BaseDirectory,
            ["BASE_PORT"] = basePort.ToString(CultureInfo.InvariantCulture),
            ["LB_PORT"] = loadBalancerPort.ToString(CultureInfo.InvariantCulture),
            ["STATS_PORT"] = (loadBalancerPort + 1).ToString(CultureInfo.InvariantCulture),
            ["LB_RETRIES"] = "0",
            ["READINESS_DELAY"] = readinessDelay.ToString("c", CultureInfo.InvariantCulture),
            ["Logging__Console__FormatterName"] = "simple",
        };
    }

    public int Instances { get; }

    /// <summary>HAProxy's front end.</summary>
    public Uri Address { get; }

    /// <summary>HAProxy's statistics as CSV: one row per server with its check status and counters.</summary>
    public Uri StatsAddress { get; }

    /// <summary>Runs start.sh: <paramref name="instances"/> ready instances, each marked UP by HAProxy's checks, when it returns.</summary>
    public static async Task<LocalCluster> StartAsync(int instances, TimeSpan readinessDelay)
    {
        var cluster = new LocalCluster(instances, FreePortBlock(instances + 2), readinessDelay);
        (int exitCode, string output) = await cluster.RunScriptAsync("start.sh", instances.ToString(CultureInfo.InvariantCulture));
        if (exitCode != 0)
        {
            await cluster.DisposeAsync();
            Assert.Fail($"start.sh exited with {exitCode}:\n{output}");
        }

        return cluster;
    }

    /// <summary>Runs rolling-restart.sh and returns its exit code and output.</summary>
    public Task<(int ExitCode, string Output)> RollingRestartAsync() => RunScriptAsync("rolling-restart.sh");

    /// <summary>The pid of each instance, from the pid files the scripts keep.</summary>
    public int[] ProcessIds()
        => [.. Enumerable.Range(0, Instances).Select(i => int.Parse(File.ReadAllText(Path.Combine(_state, $"instance-{i}.pid")).Trim(), CultureInfo.InvariantCulture))];

    /// <summary>What every instance wrote to its console, across restarts (the scripts append).</summary>
    public string InstanceLog(int instance) => File.ReadAllText(Path.Combine(_state, $"instance-{instance}.log"));

    public async Task<string> StatsAsync()
    {
        using var client = new HttpClient();
        return await client.GetStringAsync(StatsAddress);
    }

    /// <summary>Runs stop.sh (HAProxy and every instance) and deletes the state folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await RunScriptAsync("stop.sh");
        Directory.Delete(_state, recursive: true);
    }

    private async Task<(int ExitCode, string Output)> RunScriptAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "samples", "deploy", "local", script));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in _environment)
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(s_scriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{script} did not finish within {s_scriptTimeout}:\n{Read(output)}");
        }

        process.WaitForExit(); // the redirected streams are drained once this returns
        return (process.ExitCode, Read(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    /// <summary>
    /// <paramref name="count"/> consecutive free loopback ports below Linux's ephemeral range (32768 and up), so that no outgoing
    /// connection of another test takes one between this check and the bind.
    /// </summary>
    private static int FreePortBlock(int count)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int first = Random.Shared.Next(20_000, 32_000 - count);
            if (Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"No block of {count} free loopback ports found between 20000 and 32000.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
