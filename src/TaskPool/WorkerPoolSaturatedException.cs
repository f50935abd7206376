namespace TaskPool;

/// <summary>
/// Thrown by <see cref="WorkerPool"/> when it does not run a job because it is overloaded; <see cref="Reason"/> says how. At submit: in
/// <see cref="QueueFullMode.Reject"/> mode when its queue is full, or when the job's fairness key already has
/// <see cref="WorkerPoolOptions.MaxQueuedPerKey"/> jobs queued (<see cref="FairnessKey"/> is then set); in either mode when the job's
/// <see cref="JobOptions.Deadline"/> cannot be met. From the job's await: when an accepted job's deadline passed while it was queued, or
/// the queue-delay policy (<see cref="WorkerPoolOptions.QueueDelayTarget"/>) shed it. In every case the job never ran and never will;
/// retrying later (for a server: answering 503 with <c>Retry-After</c>, see <see cref="EstimatedQueueDelay"/>) is the caller's choice.
/// </summary>
public sealed class WorkerPoolSaturatedException : InvalidOperationException
{
    /// <summary>Creates the exception with a default message.</summary>
    public WorkerPoolSaturatedException()
        : base("The worker pool's queue is full.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    public WorkerPoolSaturatedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and inner exception.</summary>
    public WorkerPoolSaturatedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a named pool whose queue of <paramref name="queueCapacity"/> slots is full.</summary>
    public WorkerPoolSaturatedException(string poolName, int queueCapacity)
        : base($"WorkerPool '{poolName}' is saturated: all {queueCapacity} queue slots are taken.")
    {
        PoolName = poolName;
        QueueCapacity = queueCapacity;
    }

    /// <summary>
    /// Creates the exception for a named pool that refuses a job of <paramref name="fairnessKey"/>: that key already has
    /// <paramref name="maxQueuedPerKey"/> jobs queued (<see cref="WorkerPoolOptions.MaxQueuedPerKey"/>), while other keys still get in.
    /// </summary>
    public WorkerPoolSaturatedException(string poolName, int queueCapacity, string fairnessKey, int maxQueuedPerKey)
        : base($"WorkerPool '{poolName}' refuses more jobs for fairness key '{fairnessKey}': it already has {maxQueuedPerKey} queued (MaxQueuedPerKey).")
    {
        PoolName = poolName;
        QueueCapacity = queueCapacity;
        FairnessKey = fairnessKey;
        Reason = WorkerPoolSaturationReason.KeyFull;
    }

    /// <summary>
    /// Creates the exception for a named pool that refused or shed a job for <paramref name="reason"/>, with the pool's estimate at that
    /// moment of how long a new job would wait before a worker starts it.
    /// </summary>
    public WorkerPoolSaturatedException(string poolName, int queueCapacity, WorkerPoolSaturationReason reason, TimeSpan estimatedQueueDelay)
        : base(MessageFor(poolName, queueCapacity, reason, estimatedQueueDelay))
    {
        PoolName = poolName;
        QueueCapacity = queueCapacity;
        Reason = reason;
        EstimatedQueueDelay = estimatedQueueDelay < TimeSpan.Zero ? TimeSpan.Zero : estimatedQueueDelay;
    }

    /// <summary>Why the job did not run. <see cref="WorkerPoolSaturationReason.QueueFull"/> unless a constructor says otherwise.</summary>
    public WorkerPoolSaturationReason Reason { get; }

    /// <summary>
    /// The pool's estimate, when it refused or shed the job, of how long a job submitted then would wait before a worker starts it (the
    /// jobs queued at the measured drain rate); <see cref="TimeSpan.Zero"/> when unknown. A server can derive <c>Retry-After</c> from it.
    /// </summary>
    public TimeSpan EstimatedQueueDelay { get; }

    /// <summary>The fairness key whose per-key limit refused the job; null when the whole queue was full.</summary>
    public string? FairnessKey { get; }

    /// <summary>The name of the saturated pool, when known.</summary>
    public string? PoolName { get; }

    /// <summary>The queue capacity of the saturated pool, when known; 0 otherwise.</summary>
    public int QueueCapacity { get; }

    private static string MessageFor(string poolName, int queueCapacity, WorkerPoolSaturationReason reason, TimeSpan estimatedQueueDelay) => reason switch
    {
        WorkerPoolSaturationReason.KeyFull => $"WorkerPool '{poolName}' refuses more jobs for this fairness key (MaxQueuedPerKey).",
        WorkerPoolSaturationReason.DeadlineUnreachable => $"WorkerPool '{poolName}' refused the job: it could not start before its deadline (estimated queue delay {estimatedQueueDelay.TotalMilliseconds:F0} ms).",
        WorkerPoolSaturationReason.Expired => $"WorkerPool '{poolName}' dropped the job: its deadline passed while it was queued.",
        WorkerPoolSaturationReason.QueueDelay => $"WorkerPool '{poolName}' shed the job: it waited in a standing queue longer than the queue-delay target.",
        _ => $"WorkerPool '{poolName}' is saturated: all {queueCapacity} queue slots are taken.",
    };
}
