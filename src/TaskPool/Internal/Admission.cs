namespace TaskPool.Internal;

/// <summary>What happened when a submitter tried to put an item into the queue without waiting.</summary>
internal enum Admission
{
    Enqueued,
    QueueFull,
    Closed,
}
