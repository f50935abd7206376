namespace TaskPool;

/// <summary>
/// A lock-free snapshot of a <see cref="WorkerPool"/>'s state, from <see cref="WorkerPool.GetStats"/>.
/// </summary>
/// <remarks>
/// In every snapshot <c>BusyWorkers + IdleWorkers == WorkerCount</c> and <c>0 &lt;= QueueDepth &lt;= QueueCapacity</c>.
/// The outcome counters only grow; when the pool is at rest (every accepted job has been awaited),
/// <c>Submitted == Completed + Faulted + Canceled + TimedOut + Expired + Shed</c>. Rejected and deadline-refused jobs were never
/// accepted and are counted apart.
/// </remarks>
/// <param name="WorkerCount">The number of dedicated worker threads.</param>
/// <param name="BusyWorkers">Workers running a job right now.</param>
/// <param name="IdleWorkers">Workers not running a job (spinning or parked).</param>
/// <param name="QueueDepth">Jobs waiting in the queue. A job canceled while queued leaves it at once.</param>
/// <param name="QueueCapacity">The most jobs that can wait in the queue.</param>
/// <param name="Submitted">Jobs accepted by the pool.</param>
/// <param name="Completed">Jobs that returned a value.</param>
/// <param name="Faulted">Jobs that threw an exception other than a cancellation of their token.</param>
/// <param name="Canceled">Jobs canceled before they started, or that threw <see cref="OperationCanceledException"/> after their token was canceled.</param>
/// <param name="Rejected">Jobs refused because the queue was full (<see cref="QueueFullMode.Reject"/>, or a failed <c>TryRun</c>).</param>
/// <param name="TimedOut">Jobs whose caller got <see cref="WorkerPoolJobTimeoutException"/> because they ran past their deadline.</param>
/// <param name="StuckWorkers">
/// Worker threads declared stuck (a job overran its deadline by more than the grace period) whose job has not returned yet.
/// A replaced stuck worker is not among <c>WorkerCount</c>; one that could not be replaced still holds its slot and counts as busy.
/// </param>
public readonly record struct WorkerPoolStats(
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
    long TimedOut = 0,
    int StuckWorkers = 0)
{
    /// <summary>
    /// The share of worker time spent serving jobs since the pool started, from 0 to 1: a worker serves from the moment it takes a job
    /// after finding the queue empty until it finds the queue empty again. Like Piscina's <c>utilization</c>.
    /// </summary>
    public double Utilization { get; init; }

    /// <summary>How long every worker has been serving jobs without a break; <see cref="TimeSpan.Zero"/> while one is idle.</summary>
    public TimeSpan SaturatedFor { get; init; }

    /// <summary>Fairness keys (<see cref="JobOptions.FairnessKey"/>) with jobs queued now.</summary>
    public int FairnessKeys { get; init; }

    /// <summary>Jobs refused at submit because their <see cref="JobOptions.Deadline"/> could not be met. Never accepted: not in <see cref="Submitted"/>.</summary>
    public long DeadlineRefused { get; init; }

    /// <summary>Accepted jobs whose <see cref="JobOptions.Deadline"/> passed while they were queued; they completed without running.</summary>
    public long Expired { get; init; }

    /// <summary>Accepted jobs shed without running by the queue-delay policy (<see cref="WorkerPoolOptions.QueueDelayTarget"/>).</summary>
    public long Shed { get; init; }

    /// <summary>The rate at which workers have recently been taking jobs off the queue, in jobs per second; 0 before any was taken.</summary>
    public double DrainRate { get; init; }

    /// <summary>
    /// How long a job submitted now would wait before a worker starts it, estimated from the jobs queued and <see cref="DrainRate"/>
    /// (Little's law); <see cref="TimeSpan.Zero"/> when the queue is empty.
    /// </summary>
    public TimeSpan EstimatedQueueDelay { get; init; }

    /// <summary>Workers that found no work and parked (asleep, or about to sleep); exact when the pool is at rest.</summary>
    public int ParkedWorkers { get; init; }
}
