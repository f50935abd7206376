using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// The signal between workers that start jobs with deadlines and the watchdog thread that times them out. The watchdog is started on
/// the first deadline only, so a pool without deadlines has no extra thread.
/// </summary>
/// <remarks>
/// Protocol: the watchdog resets the event, sets <c>_nextWake</c> to "never" with an exchange (a full fence), inspects the running jobs,
/// then publishes its next wake time and sleeps. A worker publishes its job, fences, and wakes the watchdog if its deadline comes
/// before <c>_nextWake</c>. If the watchdog's pass missed the job, the worker reads "never" or a later time and sets the event.
/// </remarks>
[DebuggerDisplay("NextWake = {_nextWake}, Started = {_started}")]
internal sealed class DeadlineAlarm(Action startWatchdog)
{
    private readonly ManualResetEventSlim _wake = new(initialState: false, spinCount: 0);
    private long _nextWake = long.MaxValue;
    private int _started;
    private int _stopped;

    internal bool IsStopped => Volatile.Read(ref _stopped) != 0; // read by the watchdog after each wake

    /// <summary>A worker started a job with <paramref name="deadline"/>; wakes the watchdog if it planned to sleep past it.</summary>
    internal void Arm(long deadline)
    {
        EnsureStarted();
        Interlocked.MemoryBarrier(); // the worker published the job before this read: pairs with the exchange in BeginPass
        if (deadline < Volatile.Read(ref _nextWake))
        {
            _wake.Set();
        }
    }

    /// <summary>Makes the watchdog look at every running job now (a forced shutdown changed the deadlines).</summary>
    internal void Poke()
    {
        EnsureStarted();
        _wake.Set();
    }

    internal void Stop()
    {
        Volatile.Write(ref _stopped, 1); // read by the watchdog after the wake below
        _wake.Set();
    }

    /// <summary>The watchdog starts a pass over the running jobs.</summary>
    internal void BeginPass()
    {
        _wake.Reset();
        Interlocked.Exchange(ref _nextWake, long.MaxValue); // while we look, any armed deadline wakes us again
    }

    /// <summary>The watchdog ends a pass and sleeps until <paramref name="next"/> (a timestamp, or <see cref="long.MaxValue"/>) or a wake.</summary>
    internal void Sleep(long now, long next)
    {
        Volatile.Write(ref _nextWake, next); // read by workers arming a deadline
        int sleepMs = Timeout.Infinite;
        if (next != long.MaxValue)
        {
            double ms = Stopwatch.GetElapsedTime(now, next).TotalMilliseconds;
            sleepMs = (int)Math.Clamp(Math.Ceiling(ms), 1, int.MaxValue - 1);
        }

        _wake.Wait(sleepMs);
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _started) == 0 && Interlocked.CompareExchange(ref _started, 1, 0) == 0) // the first deadline starts the watchdog, once
        {
            startWatchdog();
        }
    }
}
