using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>Whether a pool's shutdown was forced, and when: read by workers before each job and by the watchdog on each pass.</summary>
[DebuggerDisplay("Forced = {IsForced}")]
internal sealed class ShutdownState(string poolName)
{
    private int _forced;
    private long _forcedAt;

    /// <summary>True once a forced shutdown began: queued jobs are canceled, running ones see their token canceled.</summary>
    internal bool IsForced => Volatile.Read(ref _forced) != 0; // set once, with a full fence, by TryForce

    /// <summary>The <see cref="Stopwatch"/> timestamp of the forced shutdown, or 0.</summary>
    internal long ForcedAt => Volatile.Read(ref _forcedAt); // written before the flag

    /// <summary>True for the first caller only.</summary>
    internal bool TryForce()
    {
        Volatile.Write(ref _forcedAt, Stopwatch.GetTimestamp()); // before the flag: a reader that sees the flag sees a timestamp
        return Interlocked.Exchange(ref _forced, 1) == 0; // full fence: workers that start a job after this see the flag; pairs with Worker.ReplaceCanceledJobToken
    }

    /// <summary>The cancellation given to jobs drained, unrun, by a forced shutdown.</summary>
    internal OperationCanceledException CreateCancellation() => new($"WorkerPool '{poolName}' was shut down before the job started.");
}
