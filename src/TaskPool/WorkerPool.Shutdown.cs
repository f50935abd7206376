using TaskPool.Internal;

namespace TaskPool;

public sealed partial class WorkerPool
{
    private static readonly Action<object?> s_forceCancel = static state => ((WorkerPool)state!).ForceCancel();

    /// <summary>
    /// True from the moment <see cref="ShutdownAsync(CancellationToken)"/>, <see cref="DisposeAsync"/> or <see cref="Dispose"/> is first
    /// called: the pool accepts no new job (submitting throws <see cref="ObjectDisposedException"/>), while queued and running jobs may
    /// still be finishing. Never goes back to false. Lets a caller refuse work early (a server: answer 503 before reading a request body).
    /// </summary>
    public bool IsShutdownRequested => Volatile.Read(ref _closing) != 0; // Volatile: sees a shutdown begun on another thread without a lock; BeginShutdown sets the flag, then completes the writer

    /// <summary>
    /// Shuts the pool down gracefully: from this call on, submitting throws <see cref="ObjectDisposedException"/> (and callers waiting for
    /// queue space get it too); every job already queued still runs, running jobs finish, then every worker thread exits and is joined.
    /// No accepted job is lost or left unresolved. Idempotent, and safe to call concurrently.
    /// </summary>
    /// <param name="cancellationToken">
    /// When canceled, the shutdown is forced: jobs still queued complete as canceled without running, and running jobs see their token canceled.
    /// A running job that ignores its token for longer than <see cref="WorkerPoolOptions.StuckJobGracePeriod"/> has its worker declared stuck:
    /// the returned task then completes without waiting for that thread, which is reported in the log and in <see cref="WorkerPoolStats.StuckWorkers"/>.
    /// </param>
    /// <returns>A task that completes when every worker thread that is not stuck has exited.</returns>
    public Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        BeginShutdown();
        return WaitForShutdownAsync(cancellationToken);
    }

    /// <summary>Same as <see cref="ShutdownAsync(CancellationToken)"/> with no deadline.</summary>
    public ValueTask DisposeAsync() => new(ShutdownAsync());

    /// <summary>Shuts the pool down gracefully and blocks until every worker thread that is not stuck has exited.</summary>
    /// <exception cref="InvalidOperationException">Called from one of this pool's jobs: the job would wait for itself.</exception>
    public void Dispose()
    {
        if (ReferenceEquals(Worker.Current?.Pool, this))
        {
            throw new InvalidOperationException($"A job cannot dispose WorkerPool '{_name}' that runs it: it would wait for itself. Use ShutdownAsync without waiting.");
        }

        BeginShutdown();
        _workersExited.Task.GetAwaiter().GetResult();
        JoinExitedWorkers();
    }

    /// <summary>The cancellation given to jobs drained, unrun, by a forced shutdown.</summary>
    internal OperationCanceledException CreateShutdownCancellation()
        => new($"WorkerPool '{_name}' was shut down before the job started.");

    private void BeginShutdown()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) // the first caller closes; the others only wait
        {
            return;
        }

        _queue.Writer.TryComplete();
        Interlocked.MemoryBarrier(); // the closed queue is visible before we look for parked workers: pairs with the full fence in Parker.Announce
        _parkingLot.WakeAll(); // after the full fence above: every parked worker wakes, drains what is left and exits; one still announcing sees the closed queue

        bool complete;
        lock (_membershipLock)
        {
            complete = TryMarkShutdownCompleted(); // every worker may be stuck already
        }

        if (complete)
        {
            CompleteShutdown();
        }
    }

    private async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        // Runs the callback inline when the token is already canceled.
        using (cancellationToken.UnsafeRegister(s_forceCancel, this))
        {
            await _workersExited.Task.ConfigureAwait(false);
        }

        JoinExitedWorkers();
    }

    private void JoinExitedWorkers()
    {
        foreach (Worker worker in Volatile.Read(ref _allWorkers))
        {
            if (!worker.IsStuck && !ReferenceEquals(worker, Worker.Current))
            {
                worker.Thread.Join(); // it has left its loop: this returns at once, and no pool thread outlives the shutdown but stuck ones
            }
        }
    }

    private void ForceCancel()
    {
        Volatile.Write(ref _forcedAt, System.Diagnostics.Stopwatch.GetTimestamp()); // read by the watchdog after the poke below
        if (Interlocked.Exchange(ref _forceCanceling, 1) != 0) // full fence: workers that start a job after this see the flag; pairs with Worker.ReplaceCanceledJobToken
        {
            return;
        }

        foreach (Worker worker in Volatile.Read(ref _allWorkers))
        {
            worker.CancelRunningJob();
        }

        // Queued jobs complete as canceled now, not when a worker gets to them: every worker may be busy with a job that ignores its token.
        CancelQueuedJobs();

        // Running jobs that ignore their token get StuckJobGracePeriod, then the shutdown stops waiting for their threads.
        EnsureWatchdog().Poke();
    }

    /// <summary>Completes every job still queued as canceled, without running it. Workers may drain concurrently: each item is dequeued once.</summary>
    private void CancelQueuedJobs()
    {
        while (TryDequeue(out WorkItem? item))
        {
            if (item.TryCancel(CreateShutdownCancellation()))
            {
                Interlocked.Increment(ref _canceledOutsideWorkers); // other cancellation paths count concurrently
                _metrics.OnJobFinished(JobOutcome.Canceled, startTimestamp: 0);
            }

            item.ReleaseHold(WorkItem.HeldByQueue);
        }
    }
}
