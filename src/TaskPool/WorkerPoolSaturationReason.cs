namespace TaskPool;

/// <summary>Why a <see cref="WorkerPool"/> did not run a job: <see cref="WorkerPoolSaturatedException.Reason"/>.</summary>
public enum WorkerPoolSaturationReason
{
    /// <summary>Every queue slot was taken (<see cref="QueueFullMode.Reject"/>, or a <c>TryRun</c> that found no room). Refused at submit.</summary>
    QueueFull = 0,

    /// <summary>The job's fairness key already had <see cref="WorkerPoolOptions.MaxQueuedPerKey"/> jobs queued. Refused at submit.</summary>
    KeyFull = 1,

    /// <summary>
    /// The job's <see cref="JobOptions.Deadline"/> had passed, or the jobs queued ahead of it, at the measured drain rate, would keep it
    /// from starting before it. Refused at submit, in either <see cref="QueueFullMode"/>.
    /// </summary>
    DeadlineUnreachable = 2,

    /// <summary>The job's <see cref="JobOptions.Deadline"/> passed while it waited in the queue: it was accepted, then completed without running.</summary>
    Expired = 3,

    /// <summary>
    /// The job waited longer than <see cref="WorkerPoolOptions.QueueDelayTarget"/> while a standing queue had built up: it was accepted,
    /// then shed without running, so that the queue cannot keep every answer late under sustained overload.
    /// </summary>
    QueueDelay = 4,
}
