using System.Diagnostics;
using System.Globalization;

namespace TaskPool.LoadTest;

/// <summary>
/// CPU time so far, read from /proc: the given server processes and HAProxy (utime + stime, in clock ticks of 1/100 s), this process, and
/// the machine's busy time (/proc/stat: everything but idle and iowait). Zero where /proc cannot be read.
/// </summary>
internal sealed record CpuSample(long Timestamp, long ServerTicks, long HaproxyTicks, TimeSpan Driver, long MachineBusyTicks)
{
    private const double TicksPerSecond = 100; // USER_HZ: 100 on every mainstream Linux

    public static CpuSample Take(IReadOnlyList<int> serverPids, int? haproxyPid)
    {
        using var self = Process.GetCurrentProcess();
        return new CpuSample(
            Stopwatch.GetTimestamp(),
            serverPids.Sum(ProcessTicks),
            haproxyPid is int pid ? ProcessTicks(pid) : 0,
            self.TotalProcessorTime,
            ReadMachineBusyTicks());
    }

    public CpuUsage Since(CpuSample before)
    {
        double seconds = Stopwatch.GetElapsedTime(before.Timestamp, Timestamp).TotalSeconds;
        return new CpuUsage(
            (ServerTicks - before.ServerTicks) / TicksPerSecond / seconds,
            (HaproxyTicks - before.HaproxyTicks) / TicksPerSecond / seconds,
            (Driver - before.Driver).TotalSeconds / seconds,
            (MachineBusyTicks - before.MachineBusyTicks) / TicksPerSecond / seconds);
    }

    private static long ProcessTicks(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields[0] is field 3 (state); utime and stime are fields 14 and 15
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long ReadMachineBusyTicks()
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is already inside user.
            string[] fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long[] values = [.. fields.Skip(1).Take(8).Select(static f => long.Parse(f, CultureInfo.InvariantCulture))];
            return values.Sum() - values[3] - values[4];
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
