namespace TaskPool.Isolation.Internal;

/// <summary>How an accepted job ended; each job ends exactly once.</summary>
internal enum IsolationOutcome
{
    Completed,
    Faulted,
    Canceled,
    TimedOut,
    Crashed,
}
