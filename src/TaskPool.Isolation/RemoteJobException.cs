namespace TaskPool.Isolation;

/// <summary>
/// Thrown to the caller of <see cref="ProcessPool.RunAsync"/> when the job's handler threw in the child process.
/// The child survives and keeps serving. Also thrown when the child has no handler for the job's name
/// (<see cref="RemoteType"/> is then <c>System.Collections.Generic.KeyNotFoundException</c>).
/// </summary>
public sealed class RemoteJobException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public RemoteJobException()
        : base("A job threw in its worker process.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    public RemoteJobException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and inner exception.</summary>
    public RemoteJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from what the child reported.</summary>
    /// <param name="remoteType">The full name of the exception type thrown in the child.</param>
    /// <param name="remoteMessage">Its message.</param>
    /// <param name="remoteStackTrace">Its stack trace in the child.</param>
    /// <param name="processId">The child's process id.</param>
    public RemoteJobException(string remoteType, string remoteMessage, string? remoteStackTrace, int processId)
        : base($"{remoteType}: {remoteMessage}")
    {
        RemoteType = remoteType;
        RemoteMessage = remoteMessage;
        RemoteStackTrace = remoteStackTrace;
        ProcessId = processId;
    }

    /// <summary>The full name of the exception type thrown in the child (for example <c>System.InvalidOperationException</c>).</summary>
    public string RemoteType { get; } = "";

    /// <summary>The message of the exception thrown in the child.</summary>
    public string RemoteMessage { get; } = "";

    /// <summary>The stack trace of the exception in the child, as text.</summary>
    public string? RemoteStackTrace { get; }

    /// <summary>The id of the child process the job ran in; 0 when unknown.</summary>
    public int ProcessId { get; }
}
