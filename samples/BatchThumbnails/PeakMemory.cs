using System.Globalization;

namespace TaskPool.Samples.BatchThumbnails;

/// <summary>Reads the process's peak resident set size from Linux's /proc/self/status.</summary>
internal static class PeakMemory
{
    /// <summary>VmHWM in bytes, or null where it cannot be read (not Linux).</summary>
    public static long? ReadPeakRssBytes()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    continue;
                }

                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kilobytes)
                    ? kilobytes * 1024
                    : null;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
