namespace TaskPool.Isolation;

/// <summary>
/// Thrown to the caller of <see cref="ProcessPool.RunAsync"/> when the child process running its job died, broke the protocol,
/// or was stopped for going past <see cref="ProcessPoolOptions.MemoryLimitBytes"/>. Only that job fails: the child is replaced
/// and queued jobs run on the replacement.
/// </summary>
public sealed class WorkerProcessCrashedException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public WorkerProcessCrashedException()
        : base("The worker process crashed.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    public WorkerProcessCrashedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and inner exception.</summary>
    public WorkerProcessCrashedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a child process that ended.</summary>
    /// <param name="message">What happened, for people.</param>
    /// <param name="processId">The child's process id.</param>
    /// <param name="exitCode">Its exit code, when it exited on its own.</param>
    /// <param name="signal">The signal that ended it (Unix), when one did.</param>
    /// <param name="reason">Why the pool considers it crashed (for example <c>"memory limit of 268435456 bytes exceeded"</c>).</param>
    public WorkerProcessCrashedException(string message, int processId, int? exitCode, int? signal, string reason)
        : base(message)
    {
        ProcessId = processId;
        ExitCode = exitCode;
        Signal = signal;
        Reason = reason;
    }

    /// <summary>The child's process id; 0 when unknown.</summary>
    public int ProcessId { get; }

    /// <summary>The child's exit code when it exited on its own (for example 3 after <c>Environment.Exit(3)</c>); <see langword="null"/> when it was killed by a signal or unknown.</summary>
    public int? ExitCode { get; }

    /// <summary>The signal that ended the child on Unix (for example 6, SIGABRT, after <c>abort()</c> or <c>Environment.FailFast</c>); <see langword="null"/> when none.</summary>
    public int? Signal { get; }

    /// <summary>Why the pool considers the child crashed: it exited, was killed by a signal, broke the protocol, or went past its memory limit.</summary>
    public string Reason { get; } = "unknown";
}
