using System.Globalization;

namespace TaskPool.LoadTest;

/// <summary>
/// Command line of the <c>scale</c> mode: <c>--instances 1,2,4,1x2 --duration 15 --warmup 3 --ping-concurrency 32 --hash-concurrency 16
/// --repeat 1 --server PATH --state DIR --lb-port 18480 --stats-port 18481 --base-port 18500 --out FILE</c>.
/// </summary>
internal sealed class ScaleOutOptions
{
    private int? _statsPort;

    /// <summary>The cluster shapes to measure, in order; <c>1x2</c> is one instance with two worker threads.</summary>
    public ScaleConfiguration[] Configurations { get; private set; } = [new(1, null), new(2, null), new(4, null), new(1, 2)];

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(15);

    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(3);

    /// <summary>Concurrent closed-loop /ping clients.</summary>
    public int PingConcurrency { get; private set; } = 32;

    /// <summary>Concurrent closed-loop /hash clients: the same offered load for every shape, enough to keep up to 16 workers busy.</summary>
    public int HashConcurrency { get; private set; } = 16;

    /// <summary>How many times the whole sweep runs (the shapes interleaved), to show the run-to-run spread.</summary>
    public int Repeat { get; private set; } = 1;

    /// <summary>A folder holding TaskPool.Samples.WebApi.dll, or the dll itself; null: the Release build found by <see cref="ServerLocator"/>.</summary>
    public string? ServerPath { get; private set; }

    /// <summary>The private state folder handed to the local scripts (pids, logs, haproxy.cfg).</summary>
    public string StatePath { get; private set; } = Path.Combine(Path.GetTempPath(), "taskpool-scale-out");

    public int LbPort { get; private set; } = 18480;

    /// <summary>HAProxy's stats listener; default <see cref="LbPort"/> + 1.</summary>
    public int StatsPort => _statsPort ?? LbPort + 1;

    /// <summary>Instance <c>i</c> listens on <c>BasePort + i</c>.</summary>
    public int BasePort { get; private set; } = 18500;

    public string? OutputPath { get; private set; }

    public static ScaleOutOptions Parse(string[] args)
    {
        var options = new ScaleOutOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--instances":
                    options.Configurations = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ScaleConfiguration.Parse)];
                    break;
                case "--duration":
                    options.Duration = CommandLine.Seconds(value, 1, 300);
                    break;
                case "--warmup":
                    options.Warmup = CommandLine.Seconds(value, 0, 60);
                    break;
                case "--ping-concurrency":
                    options.PingConcurrency = CommandLine.Number(value, 1, 1024);
                    break;
                case "--hash-concurrency":
                    options.HashConcurrency = CommandLine.Number(value, 1, 1024);
                    break;
                case "--repeat":
                    options.Repeat = CommandLine.Number(value, 1, 10);
                    break;
                case "--server":
                    options.ServerPath = value;
                    break;
                case "--state":
                    options.StatePath = Path.GetFullPath(value);
                    break;
                case "--lb-port":
                    options.LbPort = CommandLine.Number(value, 1024, 65535);
                    break;
                case "--stats-port":
                    options._statsPort = CommandLine.Number(value, 1024, 65535);
                    break;
                case "--base-port":
                    options.BasePort = CommandLine.Number(value, 1024, 65400);
                    break;
                case "--out":
                    options.OutputPath = value;
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}.");
            }

            i++;
        }

        return options.Configurations.Length > 0 ? options : throw new ArgumentException("--instances needs at least one shape.");
    }
}
