namespace TaskPool.LoadTest;

/// <summary>
/// One measured window: which shape (<paramref name="Setup"/>, how many instances and worker threads in all), which endpoint, what the clients
/// saw, the CPU each party used, the load average before and after, and what HAProxy counted (null when the clients bypassed it).
/// </summary>
internal sealed record ScaleMeasurement(
    int Run,
    string Setup,
    int Instances,
    int TotalWorkers,
    string Endpoint,
    int Concurrency,
    ClosedLoopResult Result,
    CpuUsage Cpu,
    string LoadBefore,
    string LoadAfter,
    string? Haproxy);
