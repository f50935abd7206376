using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// A pool's workers: the serving slots (a replacement takes a stuck worker's slot), every worker ever started, stuck-worker replacement
/// within its bound, and the moment the shutdown is complete (every worker it waits for has exited).
/// </summary>
/// <remarks>
/// Membership changes happen under <c>_lock</c> and are rare (start, stuck, recovery, exit); readers such as stats read the slot array
/// and the copy-on-write <c>_allWorkers</c> without a lock. Invariant under the lock: <c>_workersToExit</c> is the number of workers
/// whose <see cref="Worker.HoldsShutdown"/> is true, and the shutdown completes exactly once, when the pool is closing and it is 0.
/// </remarks>
[DebuggerDisplay("Workers = {_slots.Length}, Stuck = {_stuckWorkers}, ToExit = {_workersToExit}")]
internal sealed class WorkerRoster : IWorkerLifecycle
{
    private readonly WorkerServices _services;
    private readonly Worker[] _slots;
    private readonly int _maxStuckReplacements;
    private readonly Action _onShutdownCompleted;
    private readonly Lock _lock = new();
    private Worker[] _allWorkers;
    private int _workersToExit;
    private int _replacementsAlive;
    private int _stuckWorkers;
    private int _generation;
    private bool _closing;
    private bool _shutdownCompleted;

    internal WorkerRoster(WorkerServices services, int workerCount, int maxStuckReplacements, Action onShutdownCompleted)
    {
        _services = services;
        _maxStuckReplacements = maxStuckReplacements;
        _onShutdownCompleted = onShutdownCompleted;
        _slots = new Worker[workerCount];
        for (int i = 0; i < workerCount; i++)
        {
            _slots[i] = new Worker(services, this, i, generation: 0) { HoldsShutdown = true };
            services.ParkingLot.Add(_slots[i].Parker);
        }

        _allWorkers = (Worker[])_slots.Clone();
        _workersToExit = workerCount;
    }

    internal int WorkerCount => _slots.Length;

    internal int MaxStuckReplacements => _maxStuckReplacements;

    /// <summary>Workers declared stuck and not recovered yet.</summary>
    internal int StuckCount => Volatile.Read(ref _stuckWorkers); // written under the lock, read without it

    /// <summary>Every worker ever started, retired ones included; a snapshot that is never modified.</summary>
    internal Worker[] AllWorkers => Volatile.Read(ref _allWorkers); // copy-on-write: a new array is published after it is filled

    internal void Start()
    {
        foreach (Worker worker in _slots)
        {
            worker.Start();
        }
    }

    /// <summary>How many serving slots run a job right now.</summary>
    internal int CountBusy()
    {
        int busy = 0;
        for (int i = 0; i < _slots.Length; i++)
        {
            busy += Volatile.Read(ref _slots[i]).IsBusy ? 1 : 0; // a replacement may be published in the slot meanwhile
        }

        return busy;
    }

    /// <summary>How long every serving slot's worker has been serving without a break, at <paramref name="now"/>; zero while one is idle.</summary>
    internal TimeSpan SaturatedFor(long now)
    {
        long latestStart = 0;
        for (int i = 0; i < _slots.Length; i++)
        {
            long start = Volatile.Read(ref _slots[i]).StreakStart; // a replacement may be published in the slot meanwhile
            if (start == 0)
            {
                return TimeSpan.Zero;
            }

            latestStart = Math.Max(latestStart, start);
        }

        return now > latestStart ? Stopwatch.GetElapsedTime(latestStart, now) : TimeSpan.Zero;
    }

    /// <summary>The pool is closing: completes the shutdown now if no worker it waits for is left (every worker may be stuck).</summary>
    internal void BeginShutdown()
    {
        bool complete;
        lock (_lock)
        {
            _closing = true;
            complete = TryMarkShutdownCompleted();
        }

        if (complete)
        {
            _onShutdownCompleted();
        }
    }

    /// <summary>Cancels the token of every running job (a forced shutdown).</summary>
    internal void CancelRunningJobs()
    {
        foreach (Worker worker in AllWorkers)
        {
            worker.CancelRunningJob();
        }
    }

    /// <summary>Joins every exited thread, so that no pool thread outlives the shutdown but stuck ones.</summary>
    internal void JoinExited()
    {
        foreach (Worker worker in AllWorkers)
        {
            if (!worker.IsStuck && !ReferenceEquals(worker, Worker.Current))
            {
                worker.Thread.Join(); // it has left its loop: this returns at once
            }
        }
    }

    /// <summary>
    /// Declares <paramref name="worker"/> stuck in <paramref name="item"/> (pinned by the caller) and replaces it, within the bound and
    /// unless the pool is shutting down.
    /// </summary>
    internal void DeclareStuck(Worker worker, WorkItem item, TimeSpan overrun)
    {
        if (!worker.MarkStuck())
        {
            return;
        }

        bool replaced;
        bool complete;
        int stuck;
        lock (_lock)
        {
            stuck = ++_stuckWorkers;
            if (worker.HoldsShutdown)
            {
                worker.HoldsShutdown = false; // a shutdown no longer waits for a thread that may never come back
                _workersToExit--;
            }

            replaced = _replacementsAlive < _maxStuckReplacements && !_shutdownCompleted && !_services.Shutdown.IsForced;
            if (replaced)
            {
                _replacementsAlive++;
                var replacement = new Worker(_services, this, worker.Slot, ++_generation) { HoldsShutdown = true };
                _workersToExit++;
                Volatile.Write(ref _allWorkers, [.. _allWorkers, replacement]); // copy-on-write: stats read the array without a lock
                _services.ParkingLot.Add(replacement.Parker);
                Volatile.Write(ref _slots[worker.Slot], replacement); // the slot's busy flag now comes from the replacement
                worker.Retire();
                replacement.Start();
            }

            complete = TryMarkShutdownCompleted();
        }

        _services.Log.WorkerStuck(_services.Name, worker.Thread.Name ?? "?", item.JobName, overrun, replaced, stuck, _maxStuckReplacements);
        if (complete)
        {
            _onShutdownCompleted();
        }
    }

    bool IWorkerLifecycle.OnRecovered(Worker worker)
    {
        bool keepServing;
        lock (_lock)
        {
            _stuckWorkers--;
            if (worker.IsRetired)
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

        _services.Log.StuckWorkerRecovered(_services.Name, worker.Thread.Name ?? "?");
        return keepServing;
    }

    void IWorkerLifecycle.OnExited(Worker worker)
    {
        bool complete;
        lock (_lock)
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
            _onShutdownCompleted();
        }
    }

    /// <summary>Under the lock: true exactly once, when the pool is closing and no worker it waits for is left.</summary>
    private bool TryMarkShutdownCompleted()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        Debug.Assert(_workersToExit >= 0);
        if (_shutdownCompleted || !_closing || _workersToExit != 0)
        {
            return false;
        }

        _shutdownCompleted = true;
        return true;
    }
}
