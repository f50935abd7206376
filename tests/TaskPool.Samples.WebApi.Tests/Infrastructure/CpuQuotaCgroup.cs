using System.Globalization;

namespace TaskPool.Samples.WebApi.Tests.Infrastructure;

/// <summary>
/// A fresh cgroup with a CPU quota, removed when disposed: what a container runtime creates for Kubernetes' <c>resources.limits.cpu</c>
/// (a CFS quota of <c>limit × period</c>). It is made in the hierarchy .NET reads: cgroup v2 when <c>/sys/fs/cgroup</c> is the unified
/// hierarchy, otherwise the cgroup v1 <c>cpu</c> controller (a hybrid host's <c>/sys/fs/cgroup/unified</c> is ignored, by .NET and here).
/// </summary>
internal sealed class CpuQuotaCgroup : IDisposable
{
    private const string V2Root = "/sys/fs/cgroup";
    private const string V1CpuRoot = "/sys/fs/cgroup/cpu";
    private const long V2Period = 100_000; // µs, the kernel's default and what Kubernetes uses

    private static readonly Lazy<string?> s_unavailableReason = new(Probe);

    private CpuQuotaCgroup(string directoryPath) => DirectoryPath = directoryPath;

    /// <summary>Why no cgroup with a CPU quota can be created here, or <see langword="null"/> when one can.</summary>
    public static string? UnavailableReason => s_unavailableReason.Value;

    /// <summary>The cgroup's directory; a process joins it by writing its id to <c>cgroup.procs</c> there.</summary>
    public string DirectoryPath { get; }

    private static bool IsV2 => File.Exists(Path.Combine(V2Root, "cgroup.controllers"));

    private static string Root => IsV2 ? V2Root : V1CpuRoot;

    /// <summary>Creates a cgroup whose processes may use <paramref name="cpus"/> CPUs' worth of time per period.</summary>
    public static CpuQuotaCgroup Create(double cpus)
    {
        var cgroup = new CpuQuotaCgroup(CreateDirectory());
        try
        {
            if (IsV2)
            {
                long quota = (long)Math.Round(cpus * V2Period);
                File.WriteAllText(Path.Combine(cgroup.DirectoryPath, "cpu.max"), string.Create(CultureInfo.InvariantCulture, $"{quota} {V2Period}"));
            }
            else
            {
                long period = long.Parse(File.ReadAllText(Path.Combine(cgroup.DirectoryPath, "cpu.cfs_period_us")).Trim(), CultureInfo.InvariantCulture);
                long quota = (long)Math.Round(cpus * period);
                File.WriteAllText(Path.Combine(cgroup.DirectoryPath, "cpu.cfs_quota_us"), quota.ToString(CultureInfo.InvariantCulture));
            }
        }
        catch
        {
            cgroup.Dispose();
            throw;
        }

        return cgroup;
    }

    public void Dispose()
    {
        // rmdir succeeds once no process is left in the cgroup; a process just killed and reaped may take a moment to leave it.
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(DirectoryPath, recursive: false);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static string CreateDirectory()
    {
        string path = Path.Combine(Root, $"taskpool-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path); // the kernel fills it with the controller's files
        return path;
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "CPU quotas are cgroups, which only Linux has.";
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_PROCESSOR_COUNT")))
        {
            return "DOTNET_PROCESSOR_COUNT is set: it overrides the cgroup CPU quota in every .NET process started from here.";
        }

        if (IsV2)
        {
            string subtreeControl = Path.Combine(V2Root, "cgroup.subtree_control");
            if (!File.Exists(subtreeControl) || !File.ReadAllText(subtreeControl).Split(' ', '\n').Contains("cpu"))
            {
                return $"The cgroup v2 cpu controller is not enabled for children of {V2Root} (cgroup.subtree_control lacks 'cpu').";
            }
        }
        else if (!File.Exists(Path.Combine(V1CpuRoot, "cpu.cfs_quota_us")))
        {
            return $"No cgroup v1 cpu controller with CFS quotas at {V1CpuRoot}, and {V2Root} is not a cgroup v2 hierarchy.";
        }

        try
        {
            using CpuQuotaCgroup probe = Create(1);
            return null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return $"Cannot create a cgroup with a CPU quota under {Root} (run as root with a writable cgroup file system): {e.Message}";
        }
    }
}
