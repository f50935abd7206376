namespace TaskPool.Internal;

/// <summary>Why <see cref="Worker"/>'s serving loop returned.</summary>
internal enum WorkerExit
{
    /// <summary>The queue is closed and empty: the thread ends.</summary>
    Drained,

    /// <summary>A job that had the worker declared stuck returned: its roster decides whether it serves again or retires.</summary>
    RecoveredFromStuck,
}
