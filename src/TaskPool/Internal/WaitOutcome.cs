namespace TaskPool.Internal;

/// <summary>How a producer's wait for queue space ended.</summary>
internal enum WaitOutcome
{
    /// <summary>A slot freed and the item is in the queue.</summary>
    Enqueued,

    /// <summary>The pool began shutting down: the item was never queued.</summary>
    Closed,

    /// <summary>The caller's token canceled the item while it waited: it was never queued.</summary>
    Canceled,
}
