using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// Where a pool's idle workers sleep, and how producers wake exactly one of them: by claiming one worker's <see cref="Parker"/>,
/// never by leaving a permit that any waiter could take. Also holds the spinner token (one worker at a time spins for work).
/// </summary>
/// <remarks>
/// <para>The lost-wake-up rule is a Dekker pair: a worker announces (a full fence) and then looks at the queue once more; a producer
/// makes its item visible, fences, and then looks for a parked worker. At least one of them sees the other.</para>
/// <para><c>_parkedCount</c> counts the parkers in state <c>Parked</c>: incremented by the owner after it announces, decremented by
/// whoever moves a parker out of <c>Parked</c> (its claimer, or the owner withdrawing), one decrement per winning compare-exchange.
/// It is exact at rest and a hint while workers move; producers read it to skip the scan when nobody sleeps.</para>
/// </remarks>
[DebuggerDisplay("Parked = {ParkedCount}, Spinning = {_spinning}")]
internal sealed class ParkingLot
{
    private Parker[] _parkers = [];
    private int _parkedCount;
    private int _spinning;

    /// <summary>Workers that announced parking and were not claimed or withdrawn yet: asleep or about to sleep.</summary>
    internal int ParkedCount => Volatile.Read(ref _parkedCount);

    /// <summary>Whether a worker is spinning for work right now; a producer that sees one leaves the wake-up to it.</summary>
    internal bool IsSpinning => Volatile.Read(ref _spinning) != 0;

    /// <summary>Adds a worker's parker. Called under the pool's membership lock; the array is copied so that producers scan it without a lock.</summary>
    internal void Add(Parker parker) => Volatile.Write(ref _parkers, [.. _parkers, parker]); // publish the new array after it is filled

    /// <summary>The owner of <paramref name="parker"/> is about to sleep: it must look at the queue once more after this returns.</summary>
    internal void Announce(Parker parker)
    {
        parker.Announce();
        Interlocked.Increment(ref _parkedCount); // after the state change: a producer that counts us can also claim us
        SchedulePoint.Reach("ParkingLot.Announced");
    }

    /// <summary>
    /// The owner of <paramref name="parker"/> found work or a shutdown after announcing; it does not sleep and never waits here.
    /// Returns false when a producer had claimed it meanwhile: that producer's signal then costs it at most one spurious wake-up.
    /// </summary>
    internal bool Withdraw(Parker parker)
    {
        if (parker.TryWithdraw())
        {
            Interlocked.Decrement(ref _parkedCount); // we moved ourselves out of Parked: no claimer counted us down
            return true;
        }

        SchedulePoint.Reach("ParkingLot.WithdrewAfterClaim");
        return false;
    }

    /// <summary>Wakes one parked worker, if any is parked; true when one was claimed and signalled.</summary>
    internal bool WakeOne()
    {
        if (Volatile.Read(ref _parkedCount) == 0)
        {
            return false;
        }

        foreach (Parker parker in Volatile.Read(ref _parkers))
        {
            if (parker.TryClaim())
            {
                Interlocked.Decrement(ref _parkedCount); // our compare-exchange moved it out of Parked
                SchedulePoint.Reach("ParkingLot.Claimed");
                parker.Signal();
                return true;
            }
        }

        return false; // every counted worker was claimed or withdrew meanwhile: each of those is awake and looks at the queue
    }

    /// <summary>Wakes the owner of <paramref name="parker"/> if it is parked (not for a job: to do housekeeping on its own thread).</summary>
    internal void Wake(Parker parker)
    {
        if (parker.TryClaim())
        {
            Interlocked.Decrement(ref _parkedCount); // as in WakeOne
            parker.Signal();
        }
    }

    /// <summary>Wakes every parked worker (shutdown). Call it after the closing flag is set with a full fence.</summary>
    internal void WakeAll()
    {
        foreach (Parker parker in Volatile.Read(ref _parkers))
        {
            if (parker.TryClaim())
            {
                Interlocked.Decrement(ref _parkedCount); // as in WakeOne
                parker.Signal();
            }
        }
    }

    /// <summary>Takes the spinner token; false when another worker spins already.</summary>
    internal bool TryBecomeSpinner() => Interlocked.CompareExchange(ref _spinning, 1, 0) == 0; // one spinner at a time

    /// <summary>The spinner stops. A full fence: a producer that then finds no spinner is ordered after it, and wakes a parked worker instead.</summary>
    internal void StopSpinning() => Interlocked.Exchange(ref _spinning, 0); // pairs with the producer's read of IsSpinning after its fence
}
