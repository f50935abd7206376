namespace TaskPool.Internal;

/// <summary>What happened when a submitter tried to put an item into the queue without waiting.</summary>
internal enum Admission
{
    Enqueued,
    QueueFull,

    /// <summary>The job's fairness key already has <see cref="WorkerPoolOptions.MaxQueuedPerKey"/> jobs queued.</summary>
    KeyFull,
    Closed,
}
