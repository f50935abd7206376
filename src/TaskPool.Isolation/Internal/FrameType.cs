namespace TaskPool.Isolation.Internal;

/// <summary>The first byte of every frame's body.</summary>
internal enum FrameType : byte
{
    /// <summary>Child to parent, once: the handlers are mapped. Body: pid (int32).</summary>
    Ready = 1,

    /// <summary>Parent to child: run a job. Body: job id (int64), job name (string), input (payload).</summary>
    Run = 2,

    /// <summary>Parent to child: cancel the job's token. Body: job id (int64).</summary>
    Cancel = 3,

    /// <summary>Parent to child: exit once idle. No body.</summary>
    Shutdown = 4,

    /// <summary>Child to parent: the job returned. Body: job id (int64), output (payload).</summary>
    Result = 5,

    /// <summary>Child to parent: the job threw. Body: job id (int64), kind (byte, <see cref="ErrorKind"/>), type, message, stack trace (strings).</summary>
    Error = 6,
}
