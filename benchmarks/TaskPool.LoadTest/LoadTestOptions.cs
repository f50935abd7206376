using System.Globalization;

namespace TaskPool.LoadTest;

/// <summary>Command line: <c>--server PATH --modes Pool,Inline,ThreadPool --idle 10 --loaded 20 --warmup 3 --hash-concurrency 8 --ping-rate 100 --out FILE</c>.</summary>
internal sealed class LoadTestOptions
{
    public string? ServerPath { get; private set; }

    public string[] Modes { get; private set; } = ["Pool", "Inline"];

    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(3);

    public TimeSpan Idle { get; private set; } = TimeSpan.FromSeconds(10);

    public TimeSpan Loaded { get; private set; } = TimeSpan.FromSeconds(20);

    /// <summary>Concurrent closed-loop /hash clients: enough to keep every core busy hashing.</summary>
    public int HashConcurrency { get; private set; } = Math.Max(4, Environment.ProcessorCount * 4);

    /// <summary>/ping requests per second, sent on a fixed schedule whatever the server does (open loop).</summary>
    public int PingRate { get; private set; } = 100;

    public string? OutputPath { get; private set; }

    public static LoadTestOptions Parse(string[] args)
    {
        var options = new LoadTestOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--server":
                    options.ServerPath = value;
                    break;
                case "--modes":
                    options.Modes = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                case "--warmup":
                    options.Warmup = CommandLine.Seconds(value, 0, 60);
                    break;
                case "--idle":
                    options.Idle = CommandLine.Seconds(value, 1, 300);
                    break;
                case "--loaded":
                    options.Loaded = CommandLine.Seconds(value, 1, 300);
                    break;
                case "--hash-concurrency":
                    options.HashConcurrency = CommandLine.Number(value, 1, 256);
                    break;
                case "--ping-rate":
                    options.PingRate = CommandLine.Number(value, 1, 2000);
                    break;
                case "--out":
                    options.OutputPath = value;
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}.");
            }

            i++;
        }

        return options;
    }
}
