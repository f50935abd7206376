using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// Producers waiting for queue space (Wait mode), served first-in first-out: a freed slot goes to the oldest waiter, whose item the
/// freeing thread queues on its behalf, so that no waiter is passed over by one that came later or by a producer that never waited.
/// </summary>
/// <remarks>
/// The lost-wake-up rule is a Dekker pair on <c>_count</c>: a producer announces itself (an interlocked increment, a full fence) and
/// only then looks for a free slot one last time; a thread that frees a slot fences and then reads <c>_count</c>. If the producer's
/// last look missed the slot, the freeing thread sees the producer and serves it. Lock order: this list's lock, then a shard's.
/// </remarks>
[DebuggerDisplay("Waiting = {_count}")]
internal sealed class CapacityWaiters
{
    private readonly Lock _lock = new();
    private CapacityWaiter? _head;
    private CapacityWaiter? _tail;
    private int _count; // waiters in the list, plus producers between their announcement and their last look
    private bool _closed;

    /// <summary>Whether a producer waits, or is about to: a slot freed now must be offered to it.</summary>
    internal bool HasWaiters => Volatile.Read(ref _count) != 0; // read after the freeing thread's fence

    /// <summary>
    /// Queues <paramref name="item"/> behind the producers already waiting; returns its outcome at once when a slot is free (and no one
    /// waits) or the queue is closed, otherwise a pending task that a freeing thread, a shutdown or the item's cancellation completes.
    /// </summary>
    internal Task<WaitOutcome> Add(WorkItem item, JobQueue queue) => Add(new CapacityWaiter(item), queue);

    /// <summary>
    /// Waits, behind the producers already waiting, until the queue has room, without taking it. Cancel the wait with <see cref="TryRemove"/>
    /// and <see cref="CapacityWaiter.Complete"/>.
    /// </summary>
    internal CapacityWaiter AddWatcher(JobQueue queue)
    {
        var watcher = new CapacityWaiter(item: null);
        Add(watcher, queue);
        return watcher;
    }

    private Task<WaitOutcome> Add(CapacityWaiter waiter, JobQueue queue)
    {
        WorkItem? item = waiter.Item;
        CapacityWaiter? served;
        lock (_lock)
        {
            if (_closed)
            {
                return System.Threading.Tasks.Task.FromResult(WaitOutcome.Closed);
            }

            Interlocked.Increment(ref _count); // full fence: announced before the last look for a free slot below; pairs with JobQueue.OnSlotFreed
            SchedulePoint.Reach("CapacityWaiters.Announced");
            Append(waiter);
            if (item is not null)
            {
                item.Waiter = waiter;
            }

            served = ServeLocked(queue);
        }

        CompleteServed(served, queue);
        if (item is not null && !waiter.Task.IsCompleted)
        {
            Interlocked.MemoryBarrier(); // item.Waiter is visible before we read the lifecycle: pairs with the compare-exchange in WorkItem.TryCancel
            if (item.IsCanceled && TryRemove(waiter))
            {
                waiter.Complete(WaitOutcome.Canceled); // the caller's token fired before the waiter was visible to its callback
            }
        }

        return waiter.Task;
    }

    /// <summary>A slot was freed: queues the items of the oldest waiters while slots are free.</summary>
    internal void Serve(JobQueue queue)
    {
        CapacityWaiter? served;
        lock (_lock)
        {
            served = ServeLocked(queue);
        }

        CompleteServed(served, queue);
    }

    /// <summary>Takes <paramref name="waiter"/> out of the list (its item was canceled); false when it was served or refused first.</summary>
    internal bool TryRemove(CapacityWaiter waiter)
    {
        lock (_lock)
        {
            if (!waiter.InList)
            {
                return false;
            }

            Unlink(waiter);
            return true;
        }
    }

    /// <summary>Takes every waiting producer (not the watchers) out of the list; the caller completes each one.</summary>
    internal List<CapacityWaiter> TakeProducers()
    {
        var taken = new List<CapacityWaiter>();
        lock (_lock)
        {
            for (CapacityWaiter? waiter = _head; waiter is not null;)
            {
                CapacityWaiter? next = waiter.Next;
                if (waiter.Item is not null)
                {
                    Unlink(waiter);
                    taken.Add(waiter);
                }

                waiter = next;
            }
        }

        return taken;
    }

    /// <summary>Refuses every waiting producer and every later <see cref="Add(WorkItem, JobQueue)"/> (shutdown).</summary>
    internal void Close()
    {
        CapacityWaiter? refused;
        lock (_lock)
        {
            _closed = true;
            refused = _head;
            for (CapacityWaiter? waiter = _head; waiter is not null; waiter = waiter.Next)
            {
                waiter.InList = false;
                waiter.Previous = null;
                Interlocked.Decrement(ref _count); // under the lock; interlocked because Add's announcement is read without it
            }

            _head = null;
            _tail = null;
        }

        while (refused is not null)
        {
            CapacityWaiter? next = refused.Next;
            refused.Next = null;
            refused.Complete(WaitOutcome.Closed);
            refused = next;
        }
    }

    /// <summary>
    /// Under the lock: queues the waiters' items, oldest first, while slots are free; a waiter whose fairness key is at its limit is
    /// passed over (it waits for its key, and must not hold back other keys). Returns the served waiters, chained by Next.
    /// </summary>
    private CapacityWaiter? ServeLocked(JobQueue queue)
    {
        CapacityWaiter? first = null;
        CapacityWaiter? last = null;
        CapacityWaiter? waiter = _head;
        while (waiter is not null)
        {
            CapacityWaiter? next = waiter.Next;
            Admission admission = waiter.Item is { } item
                ? queue.TryLink(item, out _) // a slot given back here is offered to the next waiter in this loop
                : queue.HasRoom ? Admission.Enqueued : Admission.QueueFull; // a watcher only needs room to exist
            if (admission == Admission.Enqueued)
            {
                Unlink(waiter);
                if (last is null)
                {
                    first = waiter;
                }
                else
                {
                    last.Next = waiter; // out of the list: Next now chains the served waiters
                }

                last = waiter;
            }
            else if (admission != Admission.KeyFull)
            {
                break; // no slot is free (or the queue closed): the waiters behind this one wait too
            }

            waiter = next;
        }

        return first;
    }

    /// <summary>Outside the lock: finishes the hand-off of each served item (wakes a worker) and resumes its producer.</summary>
    private static void CompleteServed(CapacityWaiter? served, JobQueue queue)
    {
        while (served is not null)
        {
            CapacityWaiter? next = served.Next;
            served.Next = null;
            if (served.Item is { } item)
            {
                queue.OnLinked(item);
            }

            served.Complete(WaitOutcome.Enqueued);
            served = next;
        }
    }

    private void Append(CapacityWaiter waiter)
    {
        Debug.Assert(!waiter.InList);
        waiter.Previous = _tail;
        if (_tail is null)
        {
            _head = waiter;
        }
        else
        {
            _tail.Next = waiter;
        }

        _tail = waiter;
        waiter.InList = true;
    }

    private void Unlink(CapacityWaiter waiter)
    {
        Debug.Assert(waiter.InList);
        if (waiter.Previous is null)
        {
            _head = waiter.Next;
        }
        else
        {
            waiter.Previous.Next = waiter.Next;
        }

        if (waiter.Next is null)
        {
            _tail = waiter.Previous;
        }
        else
        {
            waiter.Next.Previous = waiter.Previous;
        }

        waiter.Previous = null;
        waiter.Next = null;
        waiter.InList = false;
        Interlocked.Decrement(ref _count); // under the lock; interlocked because Add's announcement is read without it
    }
}
