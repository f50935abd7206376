namespace TaskPool;

/// <summary>
/// Thrown by <see cref="WorkerPool"/> in <see cref="QueueFullMode.Reject"/> mode when its queue is full, or when the job's fairness key
/// already has <see cref="WorkerPoolOptions.MaxQueuedPerKey"/> jobs queued (<see cref="FairnessKey"/> is then set).
/// The job was not queued and will never run; retrying later (for a server: answering 503 with <c>Retry-After</c>) is the caller's choice.
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
    }

    /// <summary>The fairness key whose per-key limit refused the job; null when the whole queue was full.</summary>
    public string? FairnessKey { get; }

    /// <summary>The name of the saturated pool, when known.</summary>
    public string? PoolName { get; }

    /// <summary>The queue capacity of the saturated pool, when known; 0 otherwise.</summary>
    public int QueueCapacity { get; }
}
