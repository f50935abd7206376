using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// One dedicated thread of a <see cref="WorkerPool"/>: takes jobs from the pool's queue, runs them, spins briefly when the queue runs dry
/// (one spinner per pool), then parks on the pool's own primitive. It never waits on the .NET ThreadPool and never runs a caller's continuation.
/// </summary>
/// <remarks>
/// <para>Counters and the busy flag are written by this worker's thread only (single writer), so they need no interlocked operations;
/// readers such as <see cref="WorkerPool.GetStats"/> use <c>Volatile.Read</c>.</para>
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

    private readonly WorkerPool _pool;
    private readonly Thread _thread;
    private readonly int _slot;
    private readonly long _spinTicks;
    private readonly Parker _parker = new();
    private CancellationTokenSource _jobCancellation = new();
    private ExecutionContext? _baseContext;
    private WorkItem? _currentItem;
    private int _inspectors;
    private int _busy;
    private int _stuck;
    private int _retired;
    private long _completed;
    private long _faulted;
    private long _canceled;

    internal Worker(WorkerPool pool, int slot, int generation, TimeSpan spinBeforeParking)
    {
        _pool = pool;
        _slot = slot;
        _spinTicks = (long)(spinBeforeParking.TotalSeconds * Stopwatch.Frequency);
        _thread = new Thread(static state => ((Worker)state!).ThreadMain())
        {
            IsBackground = true,
            Name = generation == 0 ? $"{pool.Name} worker {slot}" : $"{pool.Name} worker {slot}.{generation}",
        };
    }

    /// <summary>The worker that owns the current thread, or null on any other thread.</summary>
    internal static Worker? Current => t_current;

    internal WorkerPool Pool => _pool;

    internal Thread Thread => _thread;

    internal int Slot => _slot;

    /// <summary>Where this worker sleeps when it finds no work; producers wake it through the pool's <see cref="ParkingLot"/>.</summary>
    internal Parker Parker => _parker;

    /// <summary>Whether the pool's shutdown waits for this worker to exit. Read and written under the pool's membership lock only.</summary>
    internal bool HoldsShutdown { get; set; }

    internal bool IsBusy => Volatile.Read(ref _busy) != 0;

    /// <summary>Declared stuck by the watchdog, and not recovered yet.</summary>
    internal bool IsStuck => Volatile.Read(ref _stuck) != 0;

    internal long CompletedCount => Volatile.Read(ref _completed);

    internal long FaultedCount => Volatile.Read(ref _faulted);

    internal long CanceledCount => Volatile.Read(ref _canceled);

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
            _pool.Log.CancellationCallbackFailed(_pool.Name, exception);
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
    internal void Retire() => Volatile.Write(ref _retired, 1); // read by this worker's loop after its job returns

    private void ThreadMain()
    {
        t_current = this;
        _baseContext = ExecutionContext.Capture();
        try
        {
            Loop();
        }
        finally
        {
            t_current = null;
            _pool.OnWorkerExited(this);
        }
    }

    private void Loop()
    {
        while (true)
        {
            if (_pool.TryDequeue(out WorkItem? item))
            {
                _pool.WakeHelperIfWorkRemains();
                Process(item);
                if (!AfterJob())
                {
                    return;
                }

                continue;
            }

            if (_pool.IsDrained)
            {
                return;
            }

            if (SpinUntilWorkArrives())
            {
                continue;
            }

            // Park: announce first, then look once more, so that a producer that enqueues after our last look is sure to see us parked.
            ParkingLot parkingLot = _pool.ParkingLot;
            parkingLot.Announce(_parker);
            if (_pool.TryDequeue(out item))
            {
                // Never wait while holding a job. If a producer claimed us meanwhile, its item is in the queue or in our hands:
                // WakeHelperIfWorkRemains passes the wake-up on when work is left.
                parkingLot.Withdraw(_parker);
                _pool.WakeHelperIfWorkRemains();
                Process(item);
                if (!AfterJob())
                {
                    return;
                }

                continue;
            }

            if (_pool.IsDrained)
            {
                parkingLot.Withdraw(_parker);
                return;
            }

            _parker.Block();
        }
    }

    /// <summary>After each job: a worker declared stuck has recovered; false when it was replaced and must exit.</summary>
    private bool AfterJob()
    {
        if (Volatile.Read(ref _stuck) == 0)
        {
            return true;
        }

        Volatile.Write(ref _stuck, 0); // recovered: the watchdog only declares a worker stuck while a job of it is pinned, and none is now
        return _pool.OnStuckWorkerRecovered(this, retired: Volatile.Read(ref _retired) != 0);
    }

    /// <summary>
    /// Spins for at most the configured time waiting for work, if no other worker of the pool is spinning already:
    /// one spinner is enough to catch the next job, and more would take cores from the threads that submit jobs and run their continuations.
    /// </summary>
    private bool SpinUntilWorkArrives()
    {
        if (_spinTicks <= 0 || !_pool.ParkingLot.TryBecomeSpinner())
        {
            return false;
        }

        bool found = false;
        long deadline = Stopwatch.GetTimestamp() + _spinTicks;
        for (int i = 1; ; i++)
        {
            if (_pool.MayHaveWork)
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

        _pool.ParkingLot.StopSpinning(); // before the caller looks at the queue again: pairs with the producers' check in OnEnqueued
        SchedulePoint.Reach("Worker.StoppedSpinning");
        return found;
    }

    private void Process(WorkItem item)
    {
        if (_pool.IsForceCanceling)
        {
            if (item.TryCancel(_pool.CreateShutdownCancellation()))
            {
                CountOutcome(JobOutcome.Canceled);
                _pool.Metrics.OnJobFinished(JobOutcome.Canceled, startTimestamp: 0);
            }

            item.ReleaseHold(WorkItem.HeldByQueue);
            return;
        }

        long now = Stopwatch.GetTimestamp();
        if (!item.TryStart(this, now))
        {
            // The caller's token canceled it while it was queued; that path completed and counted it.
            item.ReleaseHold(WorkItem.HeldByQueue);
            return;
        }

        Volatile.Write(ref _busy, 1); // single writer; readers only need a recent value
        Volatile.Write(ref _currentItem, item); // shows the job to the watchdog, after TryStart set its deadline
        if (item.Deadline != 0)
        {
            _pool.OnDeadlineArmed(item.Deadline);
        }

        long started = 0;
        Activity? activity = null;
        try
        {
            started = _pool.Metrics.OnJobStarted(item.SubmittedTimestamp);
            activity = item.IsTraced ? StartJobActivity(item, ref started) : null;
        }
        catch (Exception exception)
        {
            _pool.Log.ListenerFailed(_pool.Name, exception); // a metrics or tracing listener threw: the job still runs
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
                    _pool.Log.JobFaulted(_pool.Name, item.JobName, item.PendingError);
                }
            }
            catch (Exception exception)
            {
                _pool.Log.ListenerFailed(_pool.Name, exception);
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
            _pool.Metrics.OnJobFinished(outcome, started);
        }
        catch (Exception exception)
        {
            _pool.Log.ListenerFailed(_pool.Name, exception);
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
            _pool.Log.LateResultDisposeFailed(_pool.Name, item.JobName, exception); // a disposable result's Dispose threw
        }
    }

    private Activity? StartJobActivity(WorkItem item, ref long started)
    {
        if (started == 0)
        {
            started = Stopwatch.GetTimestamp();
        }

        return PoolTracing.StartJob(_pool.Name, item.TraceParent, item.SubmittedTimestamp, started);
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
