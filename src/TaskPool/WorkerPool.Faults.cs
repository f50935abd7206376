using System.Diagnostics;
using TaskPool.Internal;

namespace TaskPool;

public sealed partial class WorkerPool
{
    /// <summary>A worker started a job that has a deadline.</summary>
    internal void OnDeadlineArmed(long deadline) => (Volatile.Read(ref _watchdog) ?? EnsureWatchdog()).OnDeadlineArmed(deadline);

    /// <summary>
    /// The watchdog's pass over running jobs: times out jobs past their deadline and declares stuck the workers whose job overran it by
    /// more than the grace period (or, after a forced shutdown, ignored its canceled token for that long). Returns the next timestamp at
    /// which something is due, or <see cref="long.MaxValue"/>.
    /// </summary>
    internal long InspectRunningJobs(long now)
    {
        long next = long.MaxValue;
        long forcedStuckAt = Volatile.Read(ref _forceCanceling) != 0 ? Volatile.Read(ref _forcedAt) + _stuckGraceTicks : 0;
        foreach (Worker worker in Volatile.Read(ref _allWorkers))
        {
            if (worker.IsStuck)
            {
                continue;
            }

            WorkItem? item = worker.Pin();
            try
            {
                if (item is null)
                {
                    continue;
                }

                long deadline = item.Deadline;
                if (deadline != 0)
                {
                    if (now >= deadline)
                    {
                        TimeOut(worker, item);
                    }
                    else
                    {
                        next = Math.Min(next, deadline);
                    }
                }

                long stuckAt = deadline != 0 ? deadline + _stuckGraceTicks : 0;
                if (forcedStuckAt != 0 && (stuckAt == 0 || forcedStuckAt < stuckAt))
                {
                    stuckAt = forcedStuckAt;
                }

                if (stuckAt != 0)
                {
                    if (now >= stuckAt)
                    {
                        DeclareStuck(worker, item, Stopwatch.GetElapsedTime(deadline != 0 ? deadline : stuckAt - _stuckGraceTicks, now));
                    }
                    else
                    {
                        next = Math.Min(next, stuckAt);
                    }
                }
            }
            finally
            {
                worker.Unpin();
            }
        }

        return next;
    }

    /// <summary>A stuck worker's job returned. Returns whether the worker goes on serving (false: it exits).</summary>
    internal bool OnStuckWorkerRecovered(Worker worker, bool retired)
    {
        bool keepServing;
        lock (_membershipLock)
        {
            _stuckWorkers--;
            if (retired)
            {
                _replacementsAlive--;
                keepServing = false; // its replacement serves in its slot
            }
            else if (_shutdownCompleted)
            {
                keepServing = false;
            }
            else
            {
                worker.HoldsShutdown = true; // it serves again, so a shutdown waits for it again
                _workersToExit++;
                keepServing = true;
            }
        }

        _log.StuckWorkerRecovered(_name, worker.Thread.Name ?? "?");
        return keepServing;
    }

    /// <summary>Called by each worker thread as it exits; the last one the shutdown waits for completes it.</summary>
    internal void OnWorkerExited(Worker worker)
    {
        bool complete;
        lock (_membershipLock)
        {
            if (!worker.HoldsShutdown)
            {
                return; // a retired stuck worker, or one that exits after the shutdown stopped waiting for it
            }

            worker.HoldsShutdown = false;
            _workersToExit--;
            complete = TryMarkShutdownCompleted();
        }

        if (complete)
        {
            CompleteShutdown();
        }
    }

    private Watchdog EnsureWatchdog()
    {
        lock (_membershipLock)
        {
            return _watchdog ??= new Watchdog(this);
        }
    }

    private void TimeOut(Worker worker, WorkItem item)
    {
        var timeout = TimeSpan.FromSeconds(item.TimeoutTicks / (double)Stopwatch.Frequency);
        if (!item.TryTimeOut(new WorkerPoolJobTimeoutException(_name, timeout)))
        {
            return; // it finished first
        }

        Interlocked.Increment(ref _timedOut); // the watchdog is the only writer, but stats read it concurrently
        try
        {
            _metrics.OnJobFinished(JobOutcome.TimedOut, startTimestamp: 0);
        }
        catch (Exception exception)
        {
            _log.ListenerFailed(_name, exception);
        }

        _log.JobTimedOut(_name, item.JobName, timeout);
        worker.CancelRunningJob(); // pinned: the worker has not reset its token source, so this reaches the timed-out job
    }

    /// <summary>Declares <paramref name="worker"/> stuck in <paramref name="item"/> (pinned) and replaces it, within the bound.</summary>
    private void DeclareStuck(Worker worker, WorkItem item, TimeSpan overrun)
    {
        if (!worker.MarkStuck())
        {
            return;
        }

        bool replaced;
        bool complete;
        int stuck;
        lock (_membershipLock)
        {
            stuck = ++_stuckWorkers;
            if (worker.HoldsShutdown)
            {
                worker.HoldsShutdown = false; // a shutdown no longer waits for a thread that may never come back
                _workersToExit--;
            }

            replaced = _replacementsAlive < _maxStuckReplacements && !_shutdownCompleted && Volatile.Read(ref _forceCanceling) == 0;
            if (replaced)
            {
                _replacementsAlive++;
                var replacement = new Worker(this, worker.Slot, ++_generation, _spinBeforeParking) { HoldsShutdown = true };
                _workersToExit++;
                Volatile.Write(ref _allWorkers, [.. _allWorkers, replacement]); // copy-on-write: stats read the array without a lock
                _parkingLot.Add(replacement.Parker);
                Volatile.Write(ref _workers[worker.Slot], replacement); // the slot's busy flag now comes from the replacement
                worker.Retire();
                replacement.Start();
            }

            complete = TryMarkShutdownCompleted();
        }

        _log.WorkerStuck(_name, worker.Thread.Name ?? "?", item.JobName, overrun, replaced, stuck, _maxStuckReplacements);
        if (complete)
        {
            CompleteShutdown();
        }
    }

    /// <summary>Under the membership lock: true exactly once, when the pool is closing and no worker it waits for is left.</summary>
    private bool TryMarkShutdownCompleted()
    {
        if (_shutdownCompleted || Volatile.Read(ref _closing) == 0 || _workersToExit != 0)
        {
            return false;
        }

        _shutdownCompleted = true;
        return true;
    }

    /// <summary>
    /// Runs once when the last worker the shutdown waits for is gone. Jobs still queued (possible only when every worker is stuck)
    /// complete as canceled, so that no caller waits forever.
    /// </summary>
    private void CompleteShutdown()
    {
        CancelQueuedJobs();

        Watchdog? watchdog;
        lock (_membershipLock)
        {
            watchdog = _watchdog;
        }

        watchdog?.Stop();
        int stuck = Volatile.Read(ref _stuckWorkers);
        if (stuck > 0)
        {
            _log.ShutdownLeftStuckWorkers(_name, stuck);
        }

        // The parking lot is not disposed: a late producer or BeginShutdown may still release it. It holds no kernel handle.
        _metrics.Dispose();
        _workersExited.TrySetResult();
    }
}
