using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// One dedicated thread of a <see cref="WorkerPool"/>: takes jobs from the pool's queue, runs them, spins briefly when the queue runs dry,
/// then parks on the pool's own primitive. It never waits on the .NET ThreadPool and never runs a caller's continuation.
/// </summary>
/// <remarks>
/// Every field below the thread is written by this worker's thread only (single writer), so counters need no interlocked operations;
/// readers such as <see cref="WorkerPool.GetStats"/> use <c>Volatile.Read</c>.
/// </remarks>
[DebuggerDisplay("{_thread.Name,nq}, Busy = {IsBusy}, Completed = {_completed}")]
internal sealed class Worker
{
#pragma warning disable IDE1006 // thread-static fields use the t_ prefix, as in dotnet/runtime
    [ThreadStatic]
    private static Worker? t_current;
#pragma warning restore IDE1006

    private const int YieldEverySpins = 16;

    private readonly WorkerPool _pool;
    private readonly Thread _thread;
    private readonly long _spinTicks;
    private CancellationTokenSource _jobCancellation = new();
    private ExecutionContext? _baseContext;
    private int _busy;
    private long _completed;
    private long _faulted;
    private long _canceled;

    internal Worker(WorkerPool pool, int index, TimeSpan spinBeforeParking)
    {
        _pool = pool;
        _spinTicks = (long)(spinBeforeParking.TotalSeconds * Stopwatch.Frequency);
        _thread = new Thread(static state => ((Worker)state!).ThreadMain())
        {
            IsBackground = true,
            Name = $"{pool.Name} worker {index}",
        };
    }

    /// <summary>The worker that owns the current thread, or null on any other thread.</summary>
    internal static Worker? Current => t_current;

    internal WorkerPool Pool => _pool;

    internal Thread Thread => _thread;

    internal bool IsBusy => Volatile.Read(ref _busy) != 0;

    internal long CompletedCount => Volatile.Read(ref _completed);

    internal long FaultedCount => Volatile.Read(ref _faulted);

    internal long CanceledCount => Volatile.Read(ref _canceled);

    /// <summary>Starts the thread without flowing the creator's <see cref="ExecutionContext"/>: a worker's own context is the default one.</summary>
    internal void Start() => _thread.UnsafeStart(this);

    /// <summary>
    /// Cancels the token of the job this worker is running. Called by a caller's cancellation callback while the job runs
    /// (the worker disposes that registration before it takes another job) and by a forced shutdown.
    /// </summary>
    internal void CancelRunningJob()
    {
        try
        {
            Volatile.Read(ref _jobCancellation).Cancel(); // the latest source: the forced-shutdown path pairs this read with the exchange in ReplaceCanceledJobToken
        }
        catch (AggregateException)
        {
            // A callback the job registered on its token threw. The job sees the cancellation either way; the canceling party must not fail.
        }
    }

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
            _pool.OnWorkerExited();
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
            _pool.AnnounceParking();
            if (_pool.TryDequeue(out item))
            {
                _pool.WithdrawParking();
                _pool.WakeHelperIfWorkRemains();
                Process(item);
                continue;
            }

            if (_pool.IsDrained)
            {
                _pool.WithdrawParking();
                return;
            }

            _pool.ParkingLot.Wait();
        }
    }

    /// <summary>
    /// Spins for at most the configured time waiting for work, if no other worker of the pool is spinning already:
    /// one spinner is enough to catch the next job, and more would take cores from the threads that submit jobs and run their continuations.
    /// </summary>
    private bool SpinUntilWorkArrives()
    {
        if (_spinTicks <= 0 || !_pool.TryBecomeSpinner())
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

        _pool.StopSpinning(); // before the caller looks at the queue again: pairs with the producers' check in OnEnqueued
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

        if (!item.TryStart(this))
        {
            // The caller's token canceled it while it was queued; that path completed and counted it.
            item.ReleaseHold(WorkItem.HeldByQueue);
            return;
        }

        Volatile.Write(ref _busy, 1); // single writer; readers only need a recent value
        long started = _pool.Metrics.OnJobStarted(item.SubmittedTimestamp);

        ExecutionContext? context = item.ExecutionContext;
        if (context is not null && !ReferenceEquals(context, _baseContext))
        {
            ExecutionContext.Restore(context);
        }

        Activity? activity = item.IsTraced ? StartJobActivity(item, ref started) : null;
        JobOutcome outcome = item.Run(Volatile.Read(ref _jobCancellation).Token);
        if (activity is not null)
        {
            PoolTracing.StopJob(activity, outcome, started);
        }

        RestoreWorkerContext();
        item.DisposeCallerRegistration();
        if (_jobCancellation.IsCancellationRequested)
        {
            ReplaceCanceledJobToken();
        }

        // Count before completing, so that a caller who observes the result also observes the counters.
        CountOutcome(outcome);
        _pool.Metrics.OnJobFinished(outcome, started);
        Volatile.Write(ref _busy, 0); // ordered before the completion below by the completion's interlocked operations

        item.Complete();
        item.ReleaseHold(WorkItem.HeldByQueue);
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
