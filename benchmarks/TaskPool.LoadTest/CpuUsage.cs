namespace TaskPool.LoadTest;

/// <summary>CPU used between two <see cref="CpuSample"/>s, in cores (CPU seconds per second): the servers, HAProxy, this driver, and the whole machine.</summary>
internal sealed record CpuUsage(double ServersCores, double HaproxyCores, double DriverCores, double MachineCores)
{
    /// <summary>What the rest of the machine used meanwhile (other processes, the kernel's work for none of the three), never below zero.</summary>
    public double OthersCores => Math.Max(0, MachineCores - ServersCores - HaproxyCores - DriverCores);
}
