using TaskPool.Isolation;

namespace TaskPool.Samples.WebApi.Thumbnails;

/// <summary>
/// The thumbnail process lane's <see cref="ProcessPoolStats"/> in <c>GET /stats</c>, under the names the thread pools' entries use (a
/// child process is the lane's worker), so that the page and scripts read every entry alike; plus what only processes have.
/// </summary>
internal sealed record ProcessLaneStats(
    string Isolation,
    int WorkerCount,
    int BusyWorkers,
    int IdleWorkers,
    int QueueDepth,
    int QueueCapacity,
    long Submitted,
    long Completed,
    long Faulted,
    long Canceled,
    long Rejected,
    long TimedOut,
    long Crashed,
    long Restarts)
{
    public static ProcessLaneStats From(ProcessPoolStats stats) => new(
        "process",
        stats.ProcessCount,
        stats.BusyProcesses,
        stats.IdleProcesses,
        stats.QueueDepth,
        stats.QueueCapacity,
        stats.Submitted,
        stats.Completed,
        stats.Faulted,
        stats.Canceled,
        stats.Rejected,
        stats.TimedOut,
        stats.Crashed,
        stats.Restarts);
}
