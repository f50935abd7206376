using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// One dedicated thread of a pool: takes jobs from the <see cref="JobQueue"/>, runs them, completes their callers' awaits (whose
/// continuations go to the .NET ThreadPool), spins briefly when the queue runs dry (one spinner per pool), then parks on its own
/// <see cref="Parker"/>. It never waits on the .NET ThreadPool and never runs a caller's continuation.
/// </summary>
/// <remarks>
/// <para>Counters and the busy flag are written by this worker's thread only (single writer), so they need no interlocked operations;
/// readers use <c>Volatile.Read</c>.</para>
/// <para>The watchdog may act on the running job (time it out, cancel its token, declare the worker stuck) only while the job is pinned:
/// it increments <c>_inspectors</c>, then reads <c>_currentItem</c>. The worker clears <c>_currentItem</c>, then waits for <c>_inspectors</c>
/// to drop to zero before it resets its token source or lets the item be recycled.</para>
/// </remarks>
[DebuggerDisplay("{_thread.Name,nq}, Busy = {IsBusy}, Stuck = {IsStuck}, Completed = {_completed}")]
internal sealed class Worker
{
    private const int YieldEverySpins = 16;

#pragma warning disable IDE1006 // thread-static fields use the t_ prefix, as in dotnet/runtime
    [ThreadStatic]
    private static Worker? t_current;
#pragma warning restore IDE1006

    private readonly WorkerServices _services;
    private readonly IWorkerLifecycle _lifecycle;
    private readonly Thread _thread;
    private readonly int _slot;
    private readonly int _homeShard;
    private readonly Parker _parker = new();
    private CancellationTokenSource _jobCancellation = new();
    private ExecutionContext? _baseContext;
    private WorkItem? _currentItem;
    private int _inspectors;
    private int _busy;
    private int _stuck;
    private int _retired;
    private long _taken;
    private int _localsCleanupRequested;
    private long _streakStart;
    private long _servedTicks;
    private long _completed;
    private long _faulted;
    private long _canceled;

    internal Worker(WorkerServices services, IWorkerLifecycle lifecycle, int slot, int generation)
    {
        _services = services;
        _lifecycle = lifecycle;
        _slot = slot;
        _homeShard = slot % services.Queue.ShardCount;
        _thread = new Thread(static state => ((Worker)state!).ThreadMain())
        {
            IsBackground = true,
            Name = generation == 0 ? $"{services.Name} worker {slot}" : $"{services.Name} worker {slot}.{generation}",
        };
    }

    /// <summary>The worker that owns the current thread, or null on any other thread.</summary>
    internal static Worker? Current => t_current;

    /// <summary>The queue this worker serves: identifies its pool.</summary>
    internal JobQueue Queue => _services.Queue;

    internal Thread Thread => _thread;

    internal int Slot => _slot;

    /// <summary>Where this worker sleeps when it finds no work; producers wake it through the pool's <see cref="ParkingLot"/>.</summary>
    internal Parker Parker => _parker;

    /// <summary>Whether the pool's shutdown waits for this worker to exit. Read and written under the roster's lock only.</summary>
    internal bool HoldsShutdown { get; set; }

    internal bool IsBusy => Volatile.Read(ref _busy) != 0;

    /// <summary>Declared stuck by the watchdog, and not recovered yet.</summary>
    internal bool IsStuck => Volatile.Read(ref _stuck) != 0;

    internal long CompletedCount => Volatile.Read(ref _completed);

    internal long FaultedCount => Volatile.Read(ref _faulted);

    internal long CanceledCount => Volatile.Read(ref _canceled);

    /// <summary>When this worker's current serving streak began (it took a job after finding the queue empty); 0 while it is idle.</summary>
    internal long StreakStart => Volatile.Read(ref _streakStart); // single writer: this worker

    /// <summary>Time spent serving jobs, in <see cref="Stopwatch"/> ticks, up to <paramref name="now"/>: finished streaks plus the current one.</summary>
    internal long ServedTicks(long now)
    {
        long start = Volatile.Read(ref _streakStart); // read first: a streak that ends meanwhile is counted in _servedTicks, at worst once too often
        long served = Volatile.Read(ref _servedTicks);
        return served + (start != 0 && now > start ? now - start : 0);
    }

    /// <summary>Starts the thread without flowing the creator's <see cref="ExecutionContext"/>: a worker's own context is the default one.</summary>
    internal void Start() => _thread.UnsafeStart(this);

    /// <summary>
    /// Cancels the token of the job this worker is running. Called by a caller's cancellation callback while the job runs
    /// (the worker disposes that registration before it takes another job), by the watchdog while the job is pinned, and by a forced shutdown.
    /// </summary>
    internal void CancelRunningJob()
    {
        try
        {
            Volatile.Read(ref _jobCancellation).Cancel(); // the latest source: the forced-shutdown path pairs this read with the exchange in ReplaceCanceledJobToken
        }
        catch (AggregateException exception)
        {
            // A callback the job registered on its token threw. The job sees the cancellation either way; the canceling party must not fail.
            _services.Log.CancellationCallbackFailed(_services.Name, exception);
        }
    }

    /// <summary>
    /// Pins the running job for the watchdog: while pinned, the worker neither resets its token nor lets the item be recycled.
    /// Returns the running job, or null (then nothing is pinned and <see cref="Unpin"/> must still be called).
    /// </summary>
    internal WorkItem? Pin()
    {
        Interlocked.Increment(ref _inspectors); // full fence before reading _currentItem: pairs with the exchange in FinishJob
        SchedulePoint.Reach("Worker.Pinning");
        return Volatile.Read(ref _currentItem);
    }

    internal void Unpin() => Interlocked.Decrement(ref _inspectors); // lets a worker waiting in FinishJob go on

    /// <summary>The watchdog declared this worker stuck; true only for the first declaration.</summary>
    internal bool MarkStuck() => Interlocked.Exchange(ref _stuck, 1) == 0; // one declaration per episode

    /// <summary>A replacement took this worker's slot: it exits once its job returns.</summary>
    internal void Retire() => Volatile.Write(ref _retired, 1); // read by the roster after this worker's job returns

    /// <summary>This worker's <see cref="WorkerLocal{T}"/> values; touched by this worker's thread only.</summary>
    internal WorkerLocalStore Locals { get; } = new();

    /// <summary>
    /// Asks this worker to dispose the values of disposed <see cref="WorkerLocal{T}"/>s on its own thread: now if it is idle (it is
    /// woken), after its job if it is busy.
    /// </summary>
    internal void RequestLocalsCleanup()
    {
        Interlocked.Exchange(ref _localsCleanupRequested, 1); // full fence before the claim below: pairs with the worker's look after it announces parking
        if (_parker.IsParked)
        {
            _services.ParkingLot.Wake(_parker);
        }
    }

    /// <summary>Whether a replacement took this worker's slot.</summary>
    internal bool IsRetired => Volatile.Read(ref _retired) != 0;

    private void ThreadMain()
    {
        t_current = this;
        _baseContext = ExecutionContext.Capture();
        try
        {
            while (Serve() == WorkerExit.RecoveredFromStuck && _lifecycle.OnRecovered(this))
            {
            }
        }
        finally
        {
            Locals.DisposeValues(all: true, exception => _services.Log.WorkerLocalDisposeFailed(_services.Name, exception));
            t_current = null;
            _lifecycle.OnExited(this);
        }
    }

    /// <summary>Serves jobs until the queue is drained, or until a job that had this worker declared stuck returns.</summary>
    private WorkerExit Serve()
    {
        JobQueue queue = _services.Queue;
        ParkingLot parkingLot = _services.ParkingLot;
        while (true)
        {
            CleanUpLocalsIfRequested();
            WorkItem? item = TryTake(out bool moreQueued);
            if (item is not null)
            {
                if (moreQueued && !parkingLot.IsSpinning)
                {
                    parkingLot.WakeOne(); // more jobs wait behind this one: let a parked worker join in
                }

                if (RunAndCheckStuck(item))
                {
                    return WorkerExit.RecoveredFromStuck;
                }

                continue;
            }

            if (queue.IsDrained)
            {
                return WorkerExit.Drained;
            }

            if (SpinUntilWorkArrives())
            {
                // Producers that saw us spinning woke nobody: if the queue holds more than the job we are about to take, wake a helper.
                item = TryTake(out _);
                if (item is not null)
                {
                    if (queue.HasWork && !parkingLot.IsSpinning)
                    {
                        parkingLot.WakeOne();
                    }

                    if (RunAndCheckStuck(item))
                    {
                        return WorkerExit.RecoveredFromStuck;
                    }
                }

                continue;
            }

            // Park: announce first, then look once more, so that a producer that enqueues after our last look is sure to see us parked.
            parkingLot.Announce(_parker);
            item = TryTake(out moreQueued);
            if (item is not null)
            {
                // Never wait while holding a job. If a producer claimed us meanwhile, its job is in our hands or still queued, maybe in
                // another shard: then pass the wake-up on, as we would have if we had slept.
                bool claimed = !parkingLot.Withdraw(_parker);
                if ((moreQueued || (claimed && queue.HasWork)) && !parkingLot.IsSpinning)
                {
                    parkingLot.WakeOne();
                }

                if (RunAndCheckStuck(item))
                {
                    return WorkerExit.RecoveredFromStuck;
                }

                continue;
            }

            if (queue.IsDrained)
            {
                parkingLot.Withdraw(_parker);
                return WorkerExit.Drained;
            }

            if (Volatile.Read(ref _localsCleanupRequested) != 0) // after the announcement: pairs with the fence in RequestLocalsCleanup
            {
                parkingLot.Withdraw(_parker);
                continue;
            }

            _parker.Block();
        }
    }

    private void CleanUpLocalsIfRequested()
    {
        if (Volatile.Read(ref _localsCleanupRequested) != 0 && Interlocked.Exchange(ref _localsCleanupRequested, 0) != 0) // a request that comes during the clean-up is seen next turn
        {
            Locals.DisposeValues(all: false, exception => _services.Log.WorkerLocalDisposeFailed(_services.Name, exception));
        }
    }

    /// <summary>Takes the next job: from the home shard, and every <see cref="JobQueue.FairnessInterval"/> jobs from another shard first.</summary>
    private WorkItem? TryTake(out bool moreQueued)
    {
        JobQueue queue = _services.Queue;
        long taken = _taken;
        int start = taken % JobQueue.FairnessInterval == JobQueue.FairnessInterval - 1
            ? (int)((_homeShard + 1 + (taken / JobQueue.FairnessInterval)) % queue.ShardCount)
            : _homeShard;
        WorkItem? item = queue.TryDequeue(start, out moreQueued);
        if (item is not null)
        {
            _taken = taken + 1; // this thread only
            if (_streakStart == 0)
            {
                Volatile.Write(ref _streakStart, Stopwatch.GetTimestamp()); // single writer; a release store for the stats readers
            }
        }
        else if (_streakStart != 0)
        {
            long now = Stopwatch.GetTimestamp();
            Volatile.Write(ref _servedTicks, _servedTicks + (now - _streakStart)); // single writer, as above; before the start is cleared
            Volatile.Write(ref _streakStart, 0);
        }

        return item;
    }

    /// <summary>Runs <paramref name="item"/>; returns true when the watchdog had declared this worker stuck in it.</summary>
    private bool RunAndCheckStuck(WorkItem item)
    {
        Process(item);
        if (Volatile.Read(ref _stuck) == 0)
        {
            return false;
        }

        Volatile.Write(ref _stuck, 0); // recovered: the watchdog only declares a worker stuck while a job of it is pinned, and none is now
        return true;
    }

    /// <summary>
    /// Spins for at most the configured time waiting for work, if no other worker of the pool is spinning already:
    /// one spinner is enough to catch the next job, and more would take cores from the threads that submit jobs and run their continuations.
    /// </summary>
    private bool SpinUntilWorkArrives()
    {
        long spinTicks = _services.SpinTicks;
        ParkingLot parkingLot = _services.ParkingLot;
        if (spinTicks <= 0 || !parkingLot.TryBecomeSpinner())
        {
            return false;
        }

        JobQueue queue = _services.Queue;
        bool found = false;
        long deadline = Stopwatch.GetTimestamp() + spinTicks;
        for (int i = 1; ; i++)
        {
            if (queue.HasWork || queue.IsClosed)
            {
                found = true;
                break;
            }

            if (Stopwatch.GetTimestamp() >= deadline)
            {
                break;
            }

            if (i % YieldEverySpins == 0)
            {
                Thread.Yield(); // let a ready thread on this core (a submitter, a continuation) run
            }
            else
            {
                Thread.SpinWait(8);
            }
        }

        parkingLot.StopSpinning(); // before the caller looks at the queue again: pairs with the producers' check in JobQueue.OnLinked
        SchedulePoint.Reach("Worker.StoppedSpinning");
        return found;
    }

    private void Process(WorkItem item)
    {
        if (_services.Shutdown.IsForced)
        {
            if (item.TryCancel(_services.Shutdown.CreateCancellation()))
            {
                CountOutcome(JobOutcome.Canceled);
                _services.Metrics.OnJobFinished(JobOutcome.Canceled, startTimestamp: 0);
            }

            item.ReleaseHold(WorkItem.HeldByQueue);
            return;
        }

        if (!item.TryStart(this))
        {
            // The caller's token canceled it before we took it; that path completed and counted it.
            item.ReleaseHold(WorkItem.HeldByQueue);
            return;
        }

        Volatile.Write(ref _busy, 1); // single writer; readers only need a recent value
        Volatile.Write(ref _currentItem, item); // shows the job to the watchdog, after TryStart set its deadline
        if (item.Deadline != 0)
        {
            _services.Deadlines.Arm(item.Deadline);
        }

        long started = 0;
        Activity? activity = null;
        try
        {
            started = _services.Metrics.OnJobStarted(item.SubmittedTimestamp);
            activity = item.IsTraced ? StartJobActivity(item, ref started) : null;
        }
        catch (Exception exception)
        {
            _services.Log.ListenerFailed(_services.Name, exception); // a metrics or tracing listener threw: the job still runs
        }

        ExecutionContext? context = item.ExecutionContext;
        if (context is not null && !ReferenceEquals(context, _baseContext))
        {
            ExecutionContext.Restore(context);
        }

        JobOutcome outcome = item.Run(Volatile.Read(ref _jobCancellation).Token);
        FinishJob(item, outcome, started, activity);
    }

    private void FinishJob(WorkItem item, JobOutcome outcome, long started, Activity? activity)
    {
        try
        {
            try
            {
                if (activity is not null)
                {
                    PoolTracing.StopJob(activity, outcome, started);
                }

                if (outcome == JobOutcome.Faulted)
                {
                    _services.Log.JobFaulted(_services.Name, item.JobName, item.PendingError);
                }
            }
            catch (Exception exception)
            {
                _services.Log.ListenerFailed(_services.Name, exception);
            }

            RestoreWorkerContext();
            item.ReleaseStateAfterRun();
            item.DisposeCallerRegistration(); // waits for a caller's cancellation callback in flight; none can start after this

            Interlocked.Exchange(ref _currentItem, null); // full fence before reading _inspectors: pairs with Pin
            SchedulePoint.Reach("Worker.Unpublished");
            SpinWait spinner = default;
            while (Volatile.Read(ref _inspectors) != 0)
            {
                spinner.SpinOnce(); // a watchdog pass that pinned this job is finishing: its cancellation or timeout lands before we go on
            }

            if (_jobCancellation.IsCancellationRequested)
            {
                ReplaceCanceledJobToken();
            }

            if (item.TryFinish())
            {
                // Count before completing, so that a caller who observes the result also observes the counters.
                CountOutcome(outcome);
                RecordFinished(outcome, started);
                Volatile.Write(ref _busy, 0); // ordered before the completion below by the completion's interlocked operations
                item.Complete();
            }
            else
            {
                // The watchdog timed the job out and completed the caller; it also counted it.
                Volatile.Write(ref _busy, 0);
                DiscardLateResult(item);
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
            item.ReleaseHold(WorkItem.HeldByQueue);
        }
    }

    private void RecordFinished(JobOutcome outcome, long started)
    {
        try
        {
            _services.Metrics.OnJobFinished(outcome, started);
        }
        catch (Exception exception)
        {
            _services.Log.ListenerFailed(_services.Name, exception);
        }
    }

    private void DiscardLateResult(WorkItem item)
    {
        try
        {
            item.DiscardResult();
        }
        catch (Exception exception)
        {
            _services.Log.LateResultDisposeFailed(_services.Name, item.JobName, exception); // a disposable result's Dispose threw
        }
    }

    private Activity? StartJobActivity(WorkItem item, ref long started)
    {
        if (started == 0)
        {
            started = Stopwatch.GetTimestamp();
        }

        return PoolTracing.StartJob(_services.Name, item.TraceParent, item.SubmittedTimestamp, started);
    }

    private void CountOutcome(JobOutcome outcome)
    {
        switch (outcome)
        {
            case JobOutcome.Completed:
                Volatile.Write(ref _completed, _completed + 1); // single writer: a release store publishes the count without an interlocked operation
                break;
            case JobOutcome.Faulted:
                Volatile.Write(ref _faulted, _faulted + 1); // single writer, as above
                break;
            default:
                Volatile.Write(ref _canceled, _canceled + 1); // single writer, as above
                break;
        }
    }

    /// <summary>Nothing a job did to the thread's contexts may leak into the next job.</summary>
    private void RestoreWorkerContext()
    {
        if (!ReferenceEquals(ExecutionContext.Capture(), _baseContext))
        {
            ExecutionContext.Restore(_baseContext!);
        }

        if (SynchronizationContext.Current is not null)
        {
            SynchronizationContext.SetSynchronizationContext(null);
        }
    }

    private void ReplaceCanceledJobToken()
    {
        // A canceled source cannot be reset. Exchange is a full fence: it orders this store before the worker's next read of the
        // pool's force-cancel flag, pairing with the flag's store and the read of this field in WorkerPool.ForceCancel.
        Interlocked.Exchange(ref _jobCancellation, new CancellationTokenSource());
    }
}
