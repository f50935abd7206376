using System.Buffers.Binary;
using System.Diagnostics;

namespace TaskPool.Isolation.Tests;

/// <summary>The test worker program (tests/TaskPool.Isolation.TestWorker), copied next to the tests, run through the dotnet host.</summary>
internal static class TestWorker
{
    public static string DotNet { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "TaskPool.Isolation.TestWorker.dll");

    /// <summary>Options that start the test worker, with a unique pool name.</summary>
    public static ProcessPoolOptions Options(int processCount = 1, string name = "iso")
    {
        var options = new ProcessPoolOptions
        {
            Name = $"{name}-{Guid.NewGuid():N}"[..24],
            ProcessCount = processCount,
            WorkerPath = DotNet,
            CancelGracePeriod = TimeSpan.FromMilliseconds(500),
        };
        options.WorkerArguments.Add(Dll);
        return options;
    }

    /// <summary>Owns <paramref name="pool"/> for a test: <c>await using var scope = TestWorker.Own(pool);</c>.</summary>
    public static PoolScope Own(ProcessPool pool) => new(pool);

    public static byte[] Milliseconds(int milliseconds)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, milliseconds);
        return bytes;
    }

    public static int Pid(byte[] result) => BitConverter.ToInt32(result);

    /// <summary>Whether a process is gone: no /proc entry, or a zombie waiting to be reaped.</summary>
    public static bool IsGone(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>The shared-memory mappings of this test process (all pools).</summary>
    public static string[] SharedMappings()
        => Directory.Exists("/dev/shm") ? Directory.GetFiles("/dev/shm", $"taskpool-{Environment.ProcessId}-*") : [];

    public static Process StartParent(int processCount)
    {
        var startInfo = new ProcessStartInfo(DotNet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add(Dll);
        startInfo.ArgumentList.Add("parent");
        startInfo.ArgumentList.Add(processCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(startInfo)!;
    }
}
