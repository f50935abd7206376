using System.Diagnostics;

namespace TaskPool;

/// <summary>
/// A FIFO of <see cref="AtomicsWaiter"/>s protected by its own monitor, as in the ECMAScript WaiterList. Cells map to
/// a fixed table of lists by address (stable, because a <see cref="SharedBuffer{T}"/> is pinned); several cells may
/// share a list, so every operation filters on (buffer, index).
/// </summary>
/// <remarks>
/// Every member except <see cref="ForCell"/> must be called with the list's monitor held (<c>lock (list)</c>): the
/// check of a cell's value and the enqueue of its waiter happen under that lock, and so does a notifier's dequeue, which
/// is what makes the check-then-sleep atomic with respect to Notify.
/// </remarks>
[DebuggerDisplay("Count = {_count}")]
internal sealed class AtomicsWaiterList
{
    private const int TableBits = 8; // 256 lists: collisions between unrelated hot cells are rare; each list is a few dozen bytes
    private static readonly AtomicsWaiterList[] s_table = CreateTable();

    private AtomicsWaiter? _head;
    private AtomicsWaiter? _tail;
    private int _count;

    /// <summary>Gets the list that holds the waiters of the cell at <paramref name="cellAddress"/>.</summary>
    internal static AtomicsWaiterList ForCell(nuint cellAddress)
    {
        // Fibonacci hashing of the element address (cells are at least 4-byte aligned, so the low 2 bits carry nothing):
        // neighbouring cells land on different lists.
        ulong hash = ((ulong)cellAddress >> 2) * 0x9E3779B97F4A7C15UL;
        return s_table[(int)(hash >> (64 - TableBits))];
    }

    /// <summary>Appends a waiter at the tail (FIFO).</summary>
    internal void Enqueue(AtomicsWaiter waiter)
    {
        Debug.Assert(Monitor.IsEntered(this));
        Debug.Assert(!waiter.InList && waiter.Previous is null && waiter.Next is null);

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
        _count++;
    }

    /// <summary>Unlinks a waiter that is in this list.</summary>
    internal void Remove(AtomicsWaiter waiter)
    {
        Debug.Assert(Monitor.IsEntered(this));
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
        _count--;
    }

    /// <summary>
    /// Removes up to <paramref name="count"/> waiters of the cell, oldest first, and returns them chained through
    /// <see cref="AtomicsWaiter.Next"/> in the same order, for the caller to signal once it has left the lock.
    /// </summary>
    internal AtomicsWaiter? DequeueForCell(object buffer, int index, int count, out int dequeued)
    {
        Debug.Assert(Monitor.IsEntered(this));
        Debug.Assert(count > 0);

        AtomicsWaiter? first = null;
        AtomicsWaiter? last = null;
        dequeued = 0;
        for (AtomicsWaiter? waiter = _head; waiter is not null && dequeued < count;)
        {
            AtomicsWaiter? next = waiter.Next;
            if (ReferenceEquals(waiter.Buffer, buffer) && waiter.Index == index)
            {
                Remove(waiter);
                if (last is null)
                {
                    first = waiter;
                }
                else
                {
                    last.Next = waiter; // the node is out of the list: Next now links the chain of woken waiters
                }

                last = waiter;
                dequeued++;
            }

            waiter = next;
        }

        return first;
    }

    /// <summary>Counts the waiters of one cell (diagnostics and tests).</summary>
    internal int CountForCell(object buffer, int index)
    {
        Debug.Assert(Monitor.IsEntered(this));

        int count = 0;
        for (AtomicsWaiter? waiter = _head; waiter is not null; waiter = waiter.Next)
        {
            if (ReferenceEquals(waiter.Buffer, buffer) && waiter.Index == index)
            {
                count++;
            }
        }

        return count;
    }

    private static AtomicsWaiterList[] CreateTable()
    {
        var table = new AtomicsWaiterList[1 << TableBits];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = new AtomicsWaiterList();
        }

        return table;
    }
}
