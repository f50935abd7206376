namespace TaskPool.Internal;

/// <summary>How a job ended; one per accepted job.</summary>
internal enum JobOutcome
{
    Completed,
    Faulted,
    Canceled,
    TimedOut,
}
