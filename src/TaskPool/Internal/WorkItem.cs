using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// One queued job: the element type of the pool's channel. Pooled and reused, so its life is guarded by two words:
/// <list type="bullet">
/// <item><c>_lifecycle</c>: one compare-exchange per transition. <c>Queued → Running → Finished</c>; <c>Queued → Canceled</c>
/// (caller's token or forced shutdown); <c>Queued → Abandoned</c> (never entered the queue); <c>Running → TimedOut</c> (the watchdog,
/// at the job's deadline). Whoever wins a transition into a terminal state is the only one who completes the caller's await.</item>
/// <item><c>_holds</c>: who still references the item: the caller (until it has read the result) and the queue (until a worker is done with it).
/// The last one to let go disposes the cancellation registration (waiting for a callback in flight) and only then recycles the item,
/// so neither a late cancellation callback, nor a watchdog, nor a late completion can touch the next job that reuses it.</item>
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
    private const int TimedOut = 5;

    private static readonly Action<object?> s_onCallerTokenCanceled = static state => ((WorkItem)state!).OnCallerTokenCanceled();

    /// <summary>The shard whose list holds this item, or null when it is not queued. Written under that shard's lock; read without it by a cancellation.</summary>
    internal QueueShard? Shard;

    private int _lifecycle;
    private int _holds;
    private JobQueue? _queue;
    private PoolCounters? _counters;
    private Worker? _worker;
    private CancellationToken _callerToken;
    private CancellationTokenRegistration _callerRegistration;
    private ExecutionContext? _executionContext;
    private long _submittedTimestamp;
    private long _timeoutTicks;
    private long _deadline;
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

    /// <summary>The job's run-time limit in <see cref="Stopwatch"/> ticks, 0 for none.</summary>
    internal long TimeoutTicks => _timeoutTicks;

    /// <summary>The <see cref="Stopwatch"/> timestamp at which the running job times out (0 for none); set by the worker that starts it.</summary>
    internal long Deadline => Volatile.Read(ref _deadline);

    /// <summary>The key lane of the ordered lane that holds this item, or null. Written under that lane's lock; read without it by a cancellation.</summary>
    internal KeyLane? Lane;

    /// <summary>The shard whose slot an item of the ordered lane holds, or null.</summary>
    internal QueueShard? SlotShard { get; set; }

    /// <summary>The job's priority level (<see cref="OrderedLane.LevelOf"/>).</summary>
    internal int Level { get; private set; } = OrderedLane.NormalLevel;

    /// <summary>The job's fairness key, or null.</summary>
    internal string? FairnessKey { get; private set; }

    /// <summary>Whether the job goes to the ordered lane (a priority other than normal, or a key) instead of a shard's list.</summary>
    internal bool IsOrdered => Level != OrderedLane.NormalLevel || FairnessKey is not null;

    /// <summary>The neighbours in its shard's list or its key lane; guarded by that list's lock.</summary>
    internal WorkItem? QueuePrevious { get; set; }

    /// <summary>The neighbours in its shard's list or its key lane; guarded by that list's lock.</summary>
    internal WorkItem? QueueNext { get; set; }

    /// <summary>The producer's wait for queue space that holds this item (Wait mode), or null.</summary>
    internal CapacityWaiter? Waiter { get; set; }

    /// <summary>Whether the caller's token (or a shutdown) completed the item as canceled before it started.</summary>
    internal bool IsCanceled => Volatile.Read(ref _lifecycle) == Canceled; // read after the producer's fence in JobQueue.OnLinked

    /// <summary>A name for logs: the job delegate's method.</summary>
    internal abstract string JobName { get; }

    private string LifecycleName => Volatile.Read(ref _lifecycle) switch
    {
        Queued => "Queued",
        Running => "Running",
        Finished => "Finished",
        Canceled => "Canceled",
        Abandoned => "Abandoned",
        TimedOut => "TimedOut",
        _ => "?",
    };

    /// <summary>
    /// Arms a freshly rented item for one job. Registers the caller's token last: its callback may run inline, and it needs every other field.
    /// </summary>
    internal void Prepare(JobQueue queue, PoolCounters counters, ExecutionContext? executionContext, long submittedTimestamp, bool traced, long timeoutTicks, JobPriority priority, string? fairnessKey, CancellationToken callerToken)
    {
        Level = OrderedLane.LevelOf(priority);
        FairnessKey = fairnessKey;
        Debug.Assert(_queue is null && _worker is null && Shard is null && Lane is null && Waiter is null, "A rented item must be clean.");
        Debug.Assert(!traced || submittedTimestamp != 0, "A traced job needs its submit time.");
        _queue = queue;
        _counters = counters;
        _executionContext = executionContext;
        _submittedTimestamp = submittedTimestamp;
        _traced = traced;
        _traceParent = traced ? Activity.Current?.Context ?? default : default;
        _timeoutTicks = timeoutTicks;
        _deadline = 0;
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
        _deadline = _timeoutTicks == 0 ? 0 : Stopwatch.GetTimestamp() + _timeoutTicks; // published likewise, before the worker shows the item to the watchdog
        SchedulePoint.Reach("WorkItem.Starting");
        return Interlocked.CompareExchange(ref _lifecycle, Running, Queued) == Queued; // the one transition out of Queued: exactly one of worker, callback, submitter wins
    }

    /// <summary>
    /// Completes a queued item as canceled with <paramref name="reason"/> without running it; false when someone else claimed it first.
    /// </summary>
    internal bool TryCancel(OperationCanceledException reason)
    {
        SchedulePoint.Reach("WorkItem.Canceling");
        if (Interlocked.CompareExchange(ref _lifecycle, Canceled, Queued) != Queued) // only one party may complete the item
        {
            return false;
        }

        ReleaseJobState(jobRan: false);
        SetFailed(reason);
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

    /// <summary>
    /// The watchdog's claim at the deadline: completes the caller's await with <paramref name="reason"/> while the job still runs.
    /// False when the job finished first. Only called while the worker shows this item as its current job (it is pinned).
    /// </summary>
    internal bool TryTimeOut(WorkerPoolJobTimeoutException reason)
    {
        SchedulePoint.Reach("WorkItem.TimingOut");
        if (Interlocked.CompareExchange(ref _lifecycle, TimedOut, Running) != Running) // the worker's TryFinish may have won
        {
            return false;
        }

        SetFailed(reason);
        return true;
    }

    /// <summary>The worker's claim when the job returned; false when the watchdog timed it out first (the result is then discarded).</summary>
    internal bool TryFinish()
        => Interlocked.CompareExchange(ref _lifecycle, Finished, Running) == Running; // races with TryTimeOut: exactly one completes the caller

    /// <summary>
    /// Runs the job on the current worker thread; never throws. Then call <see cref="ReleaseStateAfterRun"/>, and
    /// <see cref="Complete"/> or <see cref="DiscardResult"/>.
    /// </summary>
    internal abstract JobOutcome Run(CancellationToken jobToken);

    /// <summary>The exception the job threw, between <see cref="Run"/> and <see cref="Complete"/>.</summary>
    internal abstract Exception? PendingError { get; }

    /// <summary>Drops the references to the job's state and delegate once it ran.</summary>
    internal void ReleaseStateAfterRun() => ReleaseJobState(jobRan: true);

    /// <summary>Publishes the result that <see cref="Run"/> stored; the caller's continuation is queued to the .NET ThreadPool, never run inline.</summary>
    internal abstract void Complete();

    /// <summary>Drops the result of a job that timed out; a disposable result (an owned buffer, say) is disposed, since no one will receive it.</summary>
    internal abstract void DiscardResult();

    /// <summary>
    /// After <see cref="Run"/>: disposes the caller's registration so that no cancellation callback can reach the worker's
    /// token source once the worker moves on. Waits for a callback that is running right now.
    /// </summary>
    internal void DisposeCallerRegistration()
    {
        _callerRegistration.Dispose();
        _callerRegistration = default;
    }

    /// <summary>Drops one party's hold; the last one out recycles the item.</summary>
    internal void ReleaseHold(int hold)
    {
        SchedulePoint.Reach("WorkItem.Releasing");
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

    /// <summary>Completes the caller's await with <paramref name="reason"/> (a cancellation or a timeout).</summary>
    protected abstract void SetFailed(Exception reason);

    /// <summary>Resets the completion source (bumping its version) and returns the item to its object pool.</summary>
    protected abstract void ResetAndReturnToPool();

    private void OnCallerTokenCanceled()
    {
        JobQueue queue = _queue!;
        if (TryCancel(new OperationCanceledException(_callerToken)))
        {
            SchedulePoint.Reach("WorkItem.CanceledByCaller");
            _counters!.OnCanceledOutsideWorkers();
            queue.RemoveCanceled(this); // frees its slot now; may recycle this item: touch nothing after it
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
        _queue = null;
        _counters = null;
        _worker = null;
        Waiter = null;
        SlotShard = null;
        Level = OrderedLane.NormalLevel;
        FairnessKey = null;
        Debug.Assert(Shard is null && Lane is null && QueueNext is null && QueuePrevious is null, "A recycled item is in no list.");
        _executionContext = null;
        _submittedTimestamp = 0;
        _timeoutTicks = 0;
        _deadline = 0;
        _traced = false;
        _traceParent = default;
        ResetAndReturnToPool();
    }
}
