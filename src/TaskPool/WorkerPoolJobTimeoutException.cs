namespace TaskPool;

/// <summary>
/// The await of a job that ran past its deadline (<see cref="WorkerPoolOptions.JobTimeout"/> or a per-call timeout) completes with this
/// exception, at once: the job's token is canceled, and its worker stays busy until the job returns (a job that ignores its token is
/// replaced as a stuck worker, within <see cref="WorkerPoolOptions.MaxStuckWorkerReplacements"/>). Whatever the job returns late is
/// discarded (disposed when it is <see cref="IDisposable"/>). It derives from <see cref="TimeoutException"/>, so existing handlers
/// still catch it; catch this type to tell a pool's deadline from other timeouts (a server answers it with 503, not 500).
/// </summary>
public sealed class WorkerPoolJobTimeoutException : TimeoutException
{
    /// <summary>Creates the exception with a default message.</summary>
    public WorkerPoolJobTimeoutException()
        : base("The job did not finish within its timeout; its token was canceled.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    public WorkerPoolJobTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and inner exception.</summary>
    public WorkerPoolJobTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a job of the named pool that ran past <paramref name="timeout"/>.</summary>
    public WorkerPoolJobTimeoutException(string poolName, TimeSpan timeout)
        : base($"The job did not finish within its timeout of {timeout} in WorkerPool '{poolName}'; its token was canceled.")
    {
        PoolName = poolName;
        Timeout = timeout;
    }

    /// <summary>The name of the pool whose job timed out, when known.</summary>
    public string? PoolName { get; }

    /// <summary>The deadline the job ran past, when known; <see cref="TimeSpan.Zero"/> otherwise.</summary>
    public TimeSpan Timeout { get; }
}
