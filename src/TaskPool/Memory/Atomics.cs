using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace TaskPool;

/// <summary>
/// Atomic operations on the <see cref="int"/> and <see cref="long"/> cells of a <see cref="SharedBuffer{T}"/>, built on
/// <see cref="Interlocked"/> and <see cref="Volatile"/>, plus <see cref="Wait(SharedBuffer{int}, int, int, TimeSpan)"/> and
/// <see cref="Notify(SharedBuffer{int}, int, int)"/> to sleep until another thread changes a cell (like JavaScript's
/// <c>Atomics.wait</c> / <c>Atomics.notify</c>).
/// </summary>
/// <remarks>
/// <para>
/// Every member is thread-safe and may be called concurrently from any number of threads on the same cell.
/// Every operation is a full fence except <c>Load</c> (acquire) and <c>Store</c> (release), as with <see cref="Volatile"/>.
/// </para>
/// <para>
/// Every member validates its arguments in this order: <see cref="ArgumentNullException"/> if the buffer is null,
/// <see cref="ArgumentOutOfRangeException"/> for an invalid count or timeout, <see cref="ObjectDisposedException"/>
/// if the buffer is disposed, <see cref="ArgumentOutOfRangeException"/> if the index is negative or not less than the
/// buffer's <see cref="SharedBuffer{T}.Length"/>.
/// </para>
/// <para>
/// <c>Wait</c> and <c>Notify</c> run entirely on the calling thread and use only monitors: they never queue work to
/// the .NET thread pool, so a job that blocks in <c>Wait</c> is woken even when the thread pool is starved.
/// </para>
/// </remarks>
public static class Atomics
{
    /// <summary>Reads a cell with acquire semantics (<see cref="Volatile.Read(ref readonly int)"/>).</summary>
    /// <returns>The cell's value.</returns>
    public static int Load(SharedBuffer<int> buffer, int index) => Volatile.Read(ref Cell(buffer, index)); // acquire: later reads by this thread see what the writer wrote before its release

    /// <summary>Writes a cell with release semantics (<see cref="Volatile.Write(ref int, int)"/>).</summary>
    public static void Store(SharedBuffer<int> buffer, int index, int value) => Volatile.Write(ref Cell(buffer, index), value); // release: earlier writes by this thread are visible to whoever loads this value

    /// <summary>Atomically adds <paramref name="value"/> to a cell (wrapping on overflow).</summary>
    /// <returns>The new value of the cell.</returns>
    public static int Add(SharedBuffer<int> buffer, int index, int value) => Interlocked.Add(ref Cell(buffer, index), value); // atomic read-modify-write, full fence: no increment is lost between threads

    /// <summary>Atomically replaces a cell's value.</summary>
    /// <returns>The value the cell held before.</returns>
    public static int Exchange(SharedBuffer<int> buffer, int index, int value) => Interlocked.Exchange(ref Cell(buffer, index), value); // atomic swap, full fence

    /// <summary>Atomically replaces a cell's value with <paramref name="replacement"/> if it equals <paramref name="expected"/>.</summary>
    /// <returns>The value the cell held before; equal to <paramref name="expected"/> exactly when the replacement happened.</returns>
    public static int CompareExchange(SharedBuffer<int> buffer, int index, int expected, int replacement) =>
        Interlocked.CompareExchange(ref Cell(buffer, index), replacement, expected); // atomic compare-and-swap, full fence (note Interlocked's argument order: value, then comparand)

    /// <summary>Reads a cell with acquire semantics (<see cref="Volatile.Read(ref readonly long)"/>); atomic even on 32-bit platforms.</summary>
    /// <returns>The cell's value.</returns>
    public static long Load(SharedBuffer<long> buffer, int index) => Volatile.Read(ref Cell(buffer, index)); // acquire, and a single untorn 64-bit read on every platform

    /// <summary>Writes a cell with release semantics (<see cref="Volatile.Write(ref long, long)"/>); atomic even on 32-bit platforms.</summary>
    public static void Store(SharedBuffer<long> buffer, int index, long value) => Volatile.Write(ref Cell(buffer, index), value); // release, and a single untorn 64-bit write on every platform

    /// <summary>Atomically adds <paramref name="value"/> to a cell (wrapping on overflow).</summary>
    /// <returns>The new value of the cell.</returns>
    public static long Add(SharedBuffer<long> buffer, int index, long value) => Interlocked.Add(ref Cell(buffer, index), value); // atomic read-modify-write, full fence

    /// <summary>Atomically replaces a cell's value.</summary>
    /// <returns>The value the cell held before.</returns>
    public static long Exchange(SharedBuffer<long> buffer, int index, long value) => Interlocked.Exchange(ref Cell(buffer, index), value); // atomic swap, full fence

    /// <summary>Atomically replaces a cell's value with <paramref name="replacement"/> if it equals <paramref name="expected"/>.</summary>
    /// <returns>The value the cell held before; equal to <paramref name="expected"/> exactly when the replacement happened.</returns>
    public static long CompareExchange(SharedBuffer<long> buffer, int index, long expected, long replacement) =>
        Interlocked.CompareExchange(ref Cell(buffer, index), replacement, expected); // atomic compare-and-swap, full fence

    /// <summary>
    /// Puts the calling thread to sleep on a cell if the cell holds <paramref name="expected"/>, until
    /// <see cref="Notify(SharedBuffer{int}, int, int)"/> wakes it or <paramref name="timeout"/> elapses.
    /// </summary>
    /// <param name="buffer">The buffer that holds the cell.</param>
    /// <param name="index">The cell's index.</param>
    /// <param name="expected">The value the caller last saw in the cell.</param>
    /// <param name="timeout">How long to sleep at most: <see cref="TimeSpan.Zero"/> (do not sleep), up to <see cref="int.MaxValue"/> milliseconds, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <returns>
    /// <see cref="AtomicsWaitResult.NotEqual"/> at once, without sleeping, if the cell does not hold <paramref name="expected"/>;
    /// otherwise <see cref="AtomicsWaitResult.Ok"/> once notified, or <see cref="AtomicsWaitResult.TimedOut"/>.
    /// </returns>
    /// <remarks>
    /// <para>
    /// No lost wake-up: the check of the cell and the registration of the waiter are one atomic step with respect to
    /// <c>Notify</c> on the same cell. A thread that changes the cell and then calls <c>Notify</c> therefore either makes
    /// this call return <see cref="AtomicsWaitResult.NotEqual"/> or wakes it.
    /// </para>
    /// <para>
    /// An <see cref="AtomicsWaitResult.Ok"/> result says that a <c>Notify</c> counted this waiter, not what the cell holds now:
    /// re-read the cell and wait again in a loop if the condition is not met yet. Waiters of a cell are woken in the order
    /// they started to wait. A waiter that times out leaves the queue, so <c>Notify</c> never counts it.
    /// The wait is not interruptible except through <see cref="Thread.Interrupt"/>; use a finite timeout and a loop to observe cancellation.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>) or longer than <see cref="int.MaxValue"/> milliseconds; or <paramref name="index"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="buffer"/> has been disposed.</exception>
    public static AtomicsWaitResult Wait(SharedBuffer<int> buffer, int index, int expected, TimeSpan timeout) => WaitCore(buffer, index, expected, timeout);

    /// <summary>
    /// Puts the calling thread to sleep on a 64-bit cell if the cell holds <paramref name="expected"/>, until
    /// <see cref="Notify(SharedBuffer{long}, int, int)"/> wakes it or <paramref name="timeout"/> elapses.
    /// Same contract as <see cref="Wait(SharedBuffer{int}, int, int, TimeSpan)"/>.
    /// </summary>
    /// <param name="buffer">The buffer that holds the cell.</param>
    /// <param name="index">The cell's index.</param>
    /// <param name="expected">The value the caller last saw in the cell.</param>
    /// <param name="timeout">How long to sleep at most: <see cref="TimeSpan.Zero"/> (do not sleep), up to <see cref="int.MaxValue"/> milliseconds, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <returns><see cref="AtomicsWaitResult.NotEqual"/>, <see cref="AtomicsWaitResult.Ok"/> or <see cref="AtomicsWaitResult.TimedOut"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> or <paramref name="index"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="buffer"/> has been disposed.</exception>
    public static AtomicsWaitResult Wait(SharedBuffer<long> buffer, int index, long expected, TimeSpan timeout) => WaitCore(buffer, index, expected, timeout);

    /// <summary>Wakes up to <paramref name="count"/> threads sleeping in <c>Wait</c> on a cell, oldest first.</summary>
    /// <param name="buffer">The buffer that holds the cell.</param>
    /// <param name="index">The cell's index.</param>
    /// <param name="count">The most threads to wake; 0 wakes none. Defaults to all of them.</param>
    /// <returns>How many threads this call woke (each of them returns <see cref="AtomicsWaitResult.Ok"/>).</returns>
    /// <remarks>Change the cell (for example with <see cref="Store(SharedBuffer{int}, int, int)"/>) before calling Notify; see <see cref="Wait(SharedBuffer{int}, int, int, TimeSpan)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, or <paramref name="index"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="buffer"/> has been disposed.</exception>
    public static int Notify(SharedBuffer<int> buffer, int index, int count = int.MaxValue) => NotifyCore(buffer, index, count);

    /// <summary>Wakes up to <paramref name="count"/> threads sleeping in <c>Wait</c> on a 64-bit cell, oldest first.</summary>
    /// <param name="buffer">The buffer that holds the cell.</param>
    /// <param name="index">The cell's index.</param>
    /// <param name="count">The most threads to wake; 0 wakes none. Defaults to all of them.</param>
    /// <returns>How many threads this call woke.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, or <paramref name="index"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="buffer"/> has been disposed.</exception>
    public static int Notify(SharedBuffer<long> buffer, int index, int count = int.MaxValue) => NotifyCore(buffer, index, count);

    /// <summary>How many threads are currently registered as waiting on a cell (for tests and diagnostics).</summary>
    internal static int GetWaiterCount<T>(SharedBuffer<T> buffer, int index)
        where T : unmanaged
    {
        ref T cell = ref Cell(buffer, index);
        AtomicsWaiterList list = ListFor(ref cell);
        lock (list)
        {
            return list.CountForCell(buffer, index);
        }
    }

    private static AtomicsWaitResult WaitCore<T>(SharedBuffer<T> buffer, int index, T expected, TimeSpan timeout)
        where T : unmanaged
    {
        Debug.Assert(typeof(T) == typeof(int) || typeof(T) == typeof(long));
        ArgumentNullException.ThrowIfNull(buffer);
        int millisecondsTimeout = ToMillisecondsTimeout(timeout);
        ref T cell = ref Cell(buffer, index); // a GC-tracked reference: keeps the array alive even if the buffer is disposed meanwhile

        AtomicsWaitResult result;
        AtomicsWaiter waiter;
        AtomicsWaiterList list = ListFor(ref cell);
        lock (list)
        {
            // The check and the enqueue happen under the list's lock, which Notify takes too: a notifier that changed the
            // cell before taking the lock makes us see the new value (NotEqual); one that takes the lock after us finds us queued.
            if (!CellEquals(ref cell, expected))
            {
                return AtomicsWaitResult.NotEqual;
            }

            if (millisecondsTimeout == 0)
            {
                return AtomicsWaitResult.TimedOut;
            }

            waiter = new AtomicsWaiter(buffer, index);
            list.Enqueue(waiter);
        }

        bool signaled;
        try
        {
            signaled = waiter.Sleep(millisecondsTimeout);
        }
        catch
        {
            // Thread.Interrupt (ThreadInterruptedException) while asleep: leave the queue before the exception propagates,
            // so that no Notify counts a thread that is no longer waiting.
            lock (list)
            {
                if (waiter.InList)
                {
                    list.Remove(waiter);
                }
            }

            throw;
        }

        if (signaled)
        {
            Debug.Assert(!waiter.InList);
            return AtomicsWaitResult.Ok;
        }

        lock (list)
        {
            if (waiter.InList)
            {
                // Timed out for real: leave the queue so that a later Notify neither counts nor wakes this thread.
                list.Remove(waiter);
                result = AtomicsWaitResult.TimedOut;
            }
            else
            {
                // A Notify dequeued (and counted) this waiter after the timeout but before we took the lock; its Signal
                // is on its way. Report the wake-up it counted so that Notify's return value stays exact.
                result = AtomicsWaitResult.Ok;
            }
        }

        return result;
    }

    private static int NotifyCore<T>(SharedBuffer<T> buffer, int index, int count)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ref T cell = ref Cell(buffer, index);
        if (count == 0)
        {
            return 0;
        }

        AtomicsWaiter? woken;
        int dequeued;
        AtomicsWaiterList list = ListFor(ref cell);
        lock (list)
        {
            woken = list.DequeueForCell(buffer, index, count, out dequeued);
        }

        // Signal outside the list's lock, so that a woken thread does not immediately block on it. The outcome (who woke)
        // was settled under the lock; each node belongs to a single wait, so a late signal cannot reach another wait.
        while (woken is not null)
        {
            AtomicsWaiter? next = woken.Next;
            woken.Next = null;
            woken.Signal();
            woken = next;
        }

        return dequeued;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref T Cell<T>(SharedBuffer<T> buffer, int index)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer);
        return ref buffer[index]; // throws ObjectDisposedException, then ArgumentOutOfRangeException for the index
    }

    private static unsafe AtomicsWaiterList ListFor<T>(ref T cell)
        where T : unmanaged
        => AtomicsWaiterList.ForCell((nuint)Unsafe.AsPointer(ref cell)); // the buffer is pinned, so the address is stable

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool CellEquals<T>(ref T cell, T expected)
        where T : unmanaged
    {
        // The lock already orders this read after any write that a notifier made before taking the lock; the volatile
        // read additionally makes it a single untorn access (64-bit cells on 32-bit platforms).
        if (typeof(T) == typeof(int))
        {
            return Volatile.Read(ref Unsafe.As<T, int>(ref cell)) == Unsafe.As<T, int>(ref expected); // acquire, untorn
        }

        Debug.Assert(typeof(T) == typeof(long));
        return Volatile.Read(ref Unsafe.As<T, long>(ref cell)) == Unsafe.As<T, long>(ref expected); // acquire, untorn on 32-bit too
    }

    private static int ToMillisecondsTimeout(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return Timeout.Infinite;
        }

        if (timeout < TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue)
        {
            ThrowTimeoutOutOfRange(timeout);
        }

        return (int)timeout.TotalMilliseconds; // truncates: a sub-millisecond timeout does not sleep
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTimeoutOutOfRange(TimeSpan timeout) =>
        throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be Timeout.InfiniteTimeSpan or between 0 and int.MaxValue milliseconds.");
}
