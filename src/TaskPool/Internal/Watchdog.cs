using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// The pool's own timer thread for job deadlines and stuck workers. A dedicated thread, not a <see cref="Timer"/>:
/// timer callbacks run on the .NET ThreadPool, and a starved ThreadPool must not stop a pool from timing out its jobs.
/// Sleeps until the earliest deadline; a worker that arms an earlier one wakes it.
/// </summary>
internal sealed class Watchdog
{
    private readonly WorkerPool _pool;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _wake = new(initialState: false, spinCount: 0);
    private long _nextWake = long.MaxValue;
    private int _stopped;

    internal Watchdog(WorkerPool pool)
    {
        _pool = pool;
        _thread = new Thread(static state => ((Watchdog)state!).Run())
        {
            IsBackground = true,
            Name = $"{pool.Name} watchdog",
        };
        _thread.UnsafeStart(this);
    }

    /// <summary>A worker started a job with <paramref name="deadline"/>; wakes the watchdog if it planned to sleep past it.</summary>
    internal void OnDeadlineArmed(long deadline)
    {
        Interlocked.MemoryBarrier(); // the worker published the job before this read: pairs with the exchange in Run, so one of us sees the other
        if (deadline < Volatile.Read(ref _nextWake))
        {
            _wake.Set();
        }
    }

    /// <summary>Makes the watchdog look at every running job now (a forced shutdown changed the deadlines).</summary>
    internal void Poke() => _wake.Set();

    internal void Stop()
    {
        Volatile.Write(ref _stopped, 1); // read by the loop after the wake below
        _wake.Set();
    }

    private void Run()
    {
        while (Volatile.Read(ref _stopped) == 0)
        {
            _wake.Reset();
            Interlocked.Exchange(ref _nextWake, long.MaxValue); // while we look, any armed deadline wakes us again
            long now = Stopwatch.GetTimestamp();
            long next = _pool.InspectRunningJobs(now);
            Volatile.Write(ref _nextWake, next);

            int sleepMs = Timeout.Infinite;
            if (next != long.MaxValue)
            {
                double ms = Stopwatch.GetElapsedTime(now, next).TotalMilliseconds;
                sleepMs = (int)Math.Clamp(Math.Ceiling(ms), 1, int.MaxValue - 1);
            }

            _wake.Wait(sleepMs);
        }
    }
}
