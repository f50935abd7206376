using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// The pool-wide job counters that no single worker owns (workers count their own outcomes). <c>Submitted</c> is bumped on every
/// job, so it is striped per processor; the others move only on cancellations, refusals and timeouts.
/// </summary>
/// <remarks>Every accepted job is counted as submitted before any outcome of it can be counted, so a reader that reads the
/// outcomes first and <see cref="Submitted"/> last sees <c>Submitted &gt;= outcomes</c>.</remarks>
[DebuggerDisplay("Submitted = {Submitted}, CanceledOutsideWorkers = {CanceledOutsideWorkers}, Rejected = {Rejected}, TimedOut = {TimedOut}")]
internal sealed class PoolCounters(PoolMetrics metrics)
{
    private readonly StripedCounter _submitted = new();
    private long _canceledOutsideWorkers;
    private long _rejected;
    private long _timedOut;

    internal long Submitted => _submitted.Sum();

    /// <summary>Jobs canceled before a worker started them: by the caller's token, while waiting for space, or by a forced shutdown.</summary>
    internal long CanceledOutsideWorkers => Volatile.Read(ref _canceledOutsideWorkers); // a recent value; 64-bit reads are atomic on 64-bit runtimes

    internal long Rejected => Volatile.Read(ref _rejected); // as above

    internal long TimedOut => Volatile.Read(ref _timedOut); // as above

    /// <summary>A job is about to be armed: counted before its token can cancel it.</summary>
    internal void OnSubmitted() => _submitted.Increment();

    /// <summary>A job counted by <see cref="OnSubmitted"/> was never accepted (refused, or the pool was closing).</summary>
    internal void OnSubmitWithdrawn() => _submitted.Decrement();

    internal void OnCanceledOutsideWorkers()
    {
        Interlocked.Increment(ref _canceledOutsideWorkers); // cancellation callbacks and shutdown drains count concurrently
        metrics.OnJobFinished(JobOutcome.Canceled, startTimestamp: 0);
    }

    internal void OnRejected()
    {
        Interlocked.Increment(ref _rejected); // many submitters may be refused at once
        metrics.OnRejected();
    }

    internal void OnTimedOut()
    {
        Interlocked.Increment(ref _timedOut); // the watchdog is the only writer, but stats read it concurrently
        metrics.OnJobFinished(JobOutcome.TimedOut, startTimestamp: 0);
    }
}
