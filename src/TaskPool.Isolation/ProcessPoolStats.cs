namespace TaskPool.Isolation;

/// <summary>A snapshot of a <see cref="ProcessPool"/>'s state, from <see cref="ProcessPool.GetStats"/>.</summary>
/// <remarks>
/// In every snapshot <c>BusyProcesses + IdleProcesses == ProcessCount</c> and <c>0 &lt;= QueueDepth &lt;= QueueCapacity</c>.
/// The outcome counters only grow; when the pool is at rest (every accepted job has been awaited),
/// <c>Submitted == Completed + Faulted + Canceled + TimedOut + Crashed</c>. Rejected jobs were never accepted and are counted apart.
/// </remarks>
/// <param name="ProcessCount">The number of child process slots.</param>
/// <param name="BusyProcesses">Slots running a job right now (including a job whose child is being stopped after a cancel).</param>
/// <param name="IdleProcesses">Slots not running a job (waiting for one, or starting their child).</param>
/// <param name="QueueDepth">Jobs waiting in the queue.</param>
/// <param name="QueueCapacity">The most jobs that can wait in the queue.</param>
/// <param name="Submitted">Jobs accepted by the pool.</param>
/// <param name="Completed">Jobs that returned bytes.</param>
/// <param name="Faulted">Jobs whose handler threw (<see cref="RemoteJobException"/>).</param>
/// <param name="Canceled">Jobs canceled by their caller or by a forced shutdown.</param>
/// <param name="Rejected">Jobs refused because the queue was full (<see cref="QueueFullMode.Reject"/>).</param>
/// <param name="TimedOut">Jobs that ran past <see cref="ProcessPoolOptions.JobTimeout"/>; their child was killed.</param>
/// <param name="Crashed">Jobs whose child died or misbehaved under them, or went past the memory limit (<see cref="WorkerProcessCrashedException"/>).</param>
/// <param name="Restarts">
/// Child processes started to replace one (after a crash, a timeout, a kill after a cancel, the memory limit, or a recycle).
/// A replacement starts after the failed job's caller has heard of the failure, so this counter may lag it briefly.
/// </param>
public readonly record struct ProcessPoolStats(
    int ProcessCount,
    int BusyProcesses,
    int IdleProcesses,
    int QueueDepth,
    int QueueCapacity,
    long Submitted,
    long Completed,
    long Faulted,
    long Canceled,
    long Rejected,
    long TimedOut,
    long Crashed,
    long Restarts);
