using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// A pool's own timer thread for job deadlines and stuck workers. A dedicated thread, not a <see cref="Timer"/>: timer callbacks run
/// on the .NET ThreadPool, and a starved ThreadPool must not stop a pool from timing out its jobs. Started by the first deadline (or a
/// forced shutdown), it sleeps until the earliest deadline; a worker that arms an earlier one wakes it through the <see cref="DeadlineAlarm"/>.
/// </summary>
[DebuggerDisplay("{_thread.Name,nq}")]
internal sealed class Watchdog
{
    private readonly WorkerServices _services;
    private readonly WorkerRoster _roster;
    private readonly long _stuckGraceTicks;
    private readonly Thread _thread;

    internal Watchdog(WorkerServices services, WorkerRoster roster, TimeSpan stuckGracePeriod)
    {
        _services = services;
        _roster = roster;
        _stuckGraceTicks = (long)(stuckGracePeriod.TotalSeconds * Stopwatch.Frequency);
        _thread = new Thread(static state => ((Watchdog)state!).Run())
        {
            IsBackground = true,
            Name = $"{services.Name} watchdog",
        };
    }

    internal void Start() => _thread.UnsafeStart(this);

    private void Run()
    {
        DeadlineAlarm alarm = _services.Deadlines;
        while (!alarm.IsStopped)
        {
            alarm.BeginPass();
            long now = Stopwatch.GetTimestamp();
            long next = InspectRunningJobs(now);
            alarm.Sleep(now, next);
        }
    }

    /// <summary>
    /// Times out jobs past their deadline and declares stuck the workers whose job overran it by more than the grace period (or, after
    /// a forced shutdown, ignored its canceled token for that long). Returns the next timestamp at which something is due, or <see cref="long.MaxValue"/>.
    /// </summary>
    private long InspectRunningJobs(long now)
    {
        long next = long.MaxValue;
        long forcedAt = _services.Shutdown.IsForced ? _services.Shutdown.ForcedAt : 0;
        long forcedStuckAt = forcedAt != 0 ? forcedAt + _stuckGraceTicks : 0;
        foreach (Worker worker in _roster.AllWorkers)
        {
            if (worker.IsStuck)
            {
                continue;
            }

            WorkItem? item = worker.Pin();
            try
            {
                if (item is not null)
                {
                    next = Math.Min(next, Inspect(worker, item, now, forcedStuckAt));
                }
            }
            finally
            {
                worker.Unpin();
            }
        }

        return next;
    }

    /// <summary>Acts on one pinned job; returns when it next needs a look.</summary>
    private long Inspect(Worker worker, WorkItem item, long now, long forcedStuckAt)
    {
        long next = long.MaxValue;
        long deadline = item.Deadline;
        if (deadline != 0)
        {
            if (now >= deadline)
            {
                TimeOut(worker, item);
            }
            else
            {
                next = deadline;
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
                _roster.DeclareStuck(worker, item, Stopwatch.GetElapsedTime(deadline != 0 ? deadline : stuckAt - _stuckGraceTicks, now));
            }
            else
            {
                next = Math.Min(next, stuckAt);
            }
        }

        return next;
    }

    private void TimeOut(Worker worker, WorkItem item)
    {
        var timeout = TimeSpan.FromSeconds(item.TimeoutTicks / (double)Stopwatch.Frequency);
        if (!item.TryTimeOut(new WorkerPoolJobTimeoutException(_services.Name, timeout)))
        {
            return; // it finished first
        }

        try
        {
            _services.Counters.OnTimedOut();
        }
        catch (Exception exception)
        {
            _services.Log.ListenerFailed(_services.Name, exception);
        }

        _services.Log.JobTimedOut(_services.Name, item.JobName, timeout);
        worker.CancelRunningJob(); // pinned: the worker has not reset its token source, so this reaches the timed-out job
    }
}
