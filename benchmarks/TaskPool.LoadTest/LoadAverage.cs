namespace TaskPool.LoadTest;

/// <summary>The machine's load average, printed beside every figure: this harness runs on shared machines.</summary>
internal static class LoadAverage
{
    /// <summary>The 1, 5 and 15 minute load averages as <c>1.23/0.98/0.50</c>, or <c>n/a</c> where /proc/loadavg cannot be read.</summary>
    public static string Read()
    {
        try
        {
            string[] parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]}/{parts[1]}/{parts[2]}";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
