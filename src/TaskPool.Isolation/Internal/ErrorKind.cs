namespace TaskPool.Isolation.Internal;

/// <summary>What an <see cref="FrameType.Error"/> frame reports.</summary>
internal enum ErrorKind : byte
{
    /// <summary>The handler threw (or no handler is mapped for the name).</summary>
    Exception = 0,

    /// <summary>The handler threw <see cref="OperationCanceledException"/> after its token fired.</summary>
    Canceled = 1,

    /// <summary>The handler ran out of memory (<see cref="OutOfMemoryException"/>, the managed heap's hard limit).</summary>
    OutOfMemory = 2,
}
