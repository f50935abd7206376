using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// One queued job: the element type of the pool's channel. Pooled and reused, so its life is guarded by two words:
/// <list type="bullet">
/// <item><c>_lifecycle</c>: one compare-exchange per transition, <c>Queued → Running → Finished</c>, or <c>Queued → Canceled</c>
/// (caller's token or forced shutdown) or <c>Queued → Abandoned</c> (never entered the queue). Whoever wins the transition out of
/// <c>Queued</c> is the only one who completes the item.</item>
/// <item><c>_holds</c>: who still references the item: the caller (until it has read the result) and the queue (until a worker is done with it).
/// The last one to let go disposes the cancellation registration (waiting for a callback in flight) and only then recycles the item,
/// so neither a late cancellation callback nor a late completion can touch the next job that reuses it.</item>
/// </list>
/// </summary>
[DebuggerDisplay("Lifecycle = {LifecycleName,nq}, Holds = {_holds}")]
internal abstract class WorkItem
{
    internal const int HeldByCaller = 1;
    internal const int HeldByQueue = 2;

    private const int Queued = 0;
    private const int Running = 1;
    private const int Finished = 2;
    private const int Canceled = 3;
    private const int Abandoned = 4;

    private static readonly Action<object?> s_onCallerTokenCanceled = static state => ((WorkItem)state!).OnCallerTokenCanceled();

    private int _lifecycle;
    private int _holds;
    private WorkerPool? _pool;
    private Worker? _worker;
    private CancellationToken _callerToken;
    private CancellationTokenRegistration _callerRegistration;
    private ExecutionContext? _executionContext;
    private long _submittedTimestamp;
    private ActivityContext _traceParent;
    private bool _traced;

    /// <summary>The caller's <see cref="ExecutionContext"/>, or null when the pool does not flow it.</summary>
    internal ExecutionContext? ExecutionContext => _executionContext;

    /// <summary>When the job was submitted (<see cref="Stopwatch.GetTimestamp"/>), or 0 when no one measures queue wait.</summary>
    internal long SubmittedTimestamp => _submittedTimestamp;

    internal CancellationToken CallerToken => _callerToken;

    /// <summary>Whether a tracing listener was present at submit: the job then gets a span, parented to <see cref="TraceParent"/>.</summary>
    internal bool IsTraced => _traced;

    /// <summary>The span that was current where the job was submitted (default when none).</summary>
    internal ActivityContext TraceParent => _traceParent;

    private string LifecycleName => Volatile.Read(ref _lifecycle) switch
    {
        Queued => "Queued",
        Running => "Running",
        Finished => "Finished",
        Canceled => "Canceled",
        Abandoned => "Abandoned",
        _ => "?",
    };

    /// <summary>
    /// Arms a freshly rented item for one job. Registers the caller's token last: its callback may run inline, and it needs every other field.
    /// </summary>
    internal void Prepare(WorkerPool pool, ExecutionContext? executionContext, long submittedTimestamp, bool traced, CancellationToken callerToken)
    {
        Debug.Assert(_pool is null && _worker is null, "A rented item must be clean.");
        Debug.Assert(!traced || submittedTimestamp != 0, "A traced job needs its submit time.");
        _pool = pool;
        _executionContext = executionContext;
        _submittedTimestamp = submittedTimestamp;
        _traced = traced;
        _traceParent = traced ? Activity.Current?.Context ?? default : default;
        _lifecycle = Queued;
        _holds = HeldByCaller | HeldByQueue;
        if (callerToken.CanBeCanceled)
        {
            _callerToken = callerToken;
            _callerRegistration = callerToken.UnsafeRegister(s_onCallerTokenCanceled, this);
        }
    }

    /// <summary>Claims the item for <paramref name="worker"/>; false when a cancellation already claimed it.</summary>
    internal bool TryStart(Worker worker)
    {
        _worker = worker; // published by the compare-exchange below: a callback that reads Running also sees the worker
        return Interlocked.CompareExchange(ref _lifecycle, Running, Queued) == Queued; // the one transition out of Queued: exactly one of worker, callback, submitter wins
    }

    /// <summary>
    /// Completes a queued item as canceled with <paramref name="reason"/> without running it; false when someone else claimed it first.
    /// </summary>
    internal bool TryCancel(OperationCanceledException reason)
    {
        if (Interlocked.CompareExchange(ref _lifecycle, Canceled, Queued) != Queued) // only one party may complete the item
        {
            return false;
        }

        ReleaseJobState(jobRan: false);
        SetCanceled(reason);
        return true;
    }

    /// <summary>
    /// Takes back an item that never made it into the queue (rejected, pool closed, or the wait for space was canceled).
    /// False when the caller's token already canceled (and completed) it.
    /// </summary>
    internal bool TryAbandon()
    {
        if (Interlocked.CompareExchange(ref _lifecycle, Abandoned, Queued) != Queued) // a cancellation callback may have won the race
        {
            return false;
        }

        ReleaseJobState(jobRan: false);
        return true;
    }

    /// <summary>Runs the job on the current worker thread; never throws. Call <see cref="Complete"/> afterwards to publish the result.</summary>
    internal abstract JobOutcome Run(CancellationToken jobToken);

    /// <summary>Publishes the result that <see cref="Run"/> stored; the caller's continuation is queued to the .NET ThreadPool, never run inline.</summary>
    internal abstract void Complete();

    /// <summary>
    /// After <see cref="Run"/>: disposes the caller's registration so that no cancellation callback can reach the worker's
    /// token source once the worker moves on. Waits for a callback that is running right now.
    /// </summary>
    internal void DisposeCallerRegistration()
    {
        Debug.Assert(Volatile.Read(ref _lifecycle) == Running);
        _callerRegistration.Dispose();
        _callerRegistration = default;
        Volatile.Write(ref _lifecycle, Finished); // for debuggers and asserts only: no one transitions out of Running
    }

    /// <summary>Drops one party's hold; the last one out recycles the item.</summary>
    internal void ReleaseHold(int hold)
    {
        int before = Interlocked.And(ref _holds, ~hold); // atomically drop our hold and learn whether the other party still holds the item
        if ((before & hold) == 0)
        {
            return; // released twice (a misused ValueTask awaited twice): the first release counted
        }

        if (before == hold)
        {
            Recycle();
        }
    }

    /// <summary>
    /// Drops the references to the user's state and delegate so that an idle item keeps nothing alive; when the job never ran,
    /// also releases what it owned (the discard action of the job, if any).
    /// </summary>
    protected abstract void ReleaseJobState(bool jobRan);

    /// <summary>Completes the caller's await with a cancellation.</summary>
    protected abstract void SetCanceled(OperationCanceledException reason);

    /// <summary>Resets the completion source (bumping its version) and returns the item to its object pool.</summary>
    protected abstract void ResetAndReturnToPool();

    private void OnCallerTokenCanceled()
    {
        WorkerPool pool = _pool!;
        if (TryCancel(new OperationCanceledException(_callerToken)))
        {
            pool.OnCanceledBeforeStart();
        }
        else if (Volatile.Read(ref _lifecycle) == Running) // the worker disposes this registration before it leaves the job, so the worker read here is still on it
        {
            _worker!.CancelRunningJob();
        }
    }

    private void Recycle()
    {
        // Dispose waits for a cancellation callback in flight: after it, nothing can reach this item but the next renter.
        _callerRegistration.Dispose();
        _callerRegistration = default;
        _callerToken = default;
        _pool = null;
        _worker = null;
        _executionContext = null;
        _submittedTimestamp = 0;
        _traced = false;
        _traceParent = default;
        ResetAndReturnToPool();
    }
}
