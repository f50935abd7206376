using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// One worker's own place to sleep, and the state word that says whether a wake-up is addressed to it.
/// </summary>
/// <remarks>
/// <para>States: <c>Active</c> (running or looking for work), <c>Parked</c> (announced that it is about to sleep, or asleep),
/// <c>Notified</c> (a producer claimed it while it was parked; the signal is on its way or already delivered).</para>
/// <para>Transitions, each by one compare-exchange or by the owner alone:</para>
/// <list type="bullet">
/// <item>the owner: <c>Active → Parked</c> (<see cref="ParkingLot.Announce"/>); <c>Notified → Active</c> after waking or withdrawing;</item>
/// <item>the owner withdrawing: <c>Parked → Active</c> (<see cref="TryWithdraw"/>), or it finds <c>Notified</c> and keeps it;</item>
/// <item>a producer: <c>Parked → Notified</c> (<see cref="TryClaim"/>), then <see cref="Signal"/>.</item>
/// </list>
/// <para>Invariant: the owner blocks only while its state is <c>Parked</c>, and it re-reads the state after every reset of its event.
/// A claimer sets <c>Notified</c> before it signals, so a wake-up cannot be lost; a signal that arrives after the owner withdrew
/// leaves the event set, which costs this same worker at most one extra turn of its wait loop. Nobody else ever waits on this event,
/// so no other thread can consume a wake-up meant for this worker, and the owner never blocks while it holds a job.</para>
/// </remarks>
[DebuggerDisplay("State = {StateName,nq}")]
internal sealed class Parker
{
    private const int Active = 0;
    private const int Parked = 1;
    private const int Notified = 2;

    // The event's own short spin (its default) catches a signal that comes within microseconds of blocking, as the old shared
    // SemaphoreSlim did: without it every wake-up paid a full kernel round trip (submit→start p50 ~25 µs instead of ~3 µs with spin 0).
    private readonly ManualResetEventSlim _signal = new(initialState: false);
    private int _state;

    /// <summary>Whether the owner announced parking and no one claimed it yet.</summary>
    internal bool IsParked => Volatile.Read(ref _state) == Parked;

    private string StateName => Volatile.Read(ref _state) switch
    {
        Active => "Active",
        Parked => "Parked",
        Notified => "Notified",
        _ => "?",
    };

    /// <summary>The owner announces that it is about to sleep. A full fence: the owner's next look at the queue is ordered after it.</summary>
    internal void Announce()
    {
        Debug.Assert(Volatile.Read(ref _state) == Active, "Only an active worker parks.");
        Interlocked.Exchange(ref _state, Parked); // full fence: pairs with the producer's fence between its enqueue and its look for a parked worker
    }

    /// <summary>A producer's claim: true when this call moved the owner from parked to notified, so that exactly one producer signals it.</summary>
    internal bool TryClaim()
        => Volatile.Read(ref _state) == Parked
            && Interlocked.CompareExchange(ref _state, Notified, Parked) == Parked; // one claimer per parking; races with the owner's TryWithdraw

    /// <summary>
    /// Wakes the owner; called once, by the claimer, after <see cref="TryClaim"/> succeeded. The owner may already have seen the claim,
    /// run, and parked again before this call lands: the signal is then stale, and <see cref="Block"/> absorbs it in one extra turn.
    /// </summary>
    internal void Signal() => _signal.Set();

    /// <summary>
    /// The owner found work (or a shutdown) after it announced. True when it withdrew before anyone claimed it; false when a producer
    /// claimed it first: the owner is active either way and never waits for that producer's signal.
    /// </summary>
    internal bool TryWithdraw()
    {
        if (Interlocked.CompareExchange(ref _state, Active, Parked) == Parked) // races with TryClaim: exactly one of us moves it out of Parked
        {
            return true;
        }

        Debug.Assert(Volatile.Read(ref _state) == Notified);
        Volatile.Write(ref _state, Active); // only the owner leaves Notified; the claimer's signal may still arrive and is then absorbed by Block
        return false;
    }

    /// <summary>The owner sleeps until a producer claims it. Returns at once if a claim came between the announcement and this call.</summary>
    internal void Block()
    {
        while (Volatile.Read(ref _state) == Parked) // the state, not the event, says whether to sleep: a stale signal only costs one more turn
        {
            SchedulePoint.Reach("Parker.Blocking");
            _signal.Wait();
            _signal.Reset();
            SchedulePoint.Reach("Parker.Woke");
        }

        Debug.Assert(Volatile.Read(ref _state) == Notified);
        Volatile.Write(ref _state, Active); // only the owner leaves Notified
    }
}
