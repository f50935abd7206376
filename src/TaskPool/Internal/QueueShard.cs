using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TaskPool.Internal;

/// <summary>
/// One stripe of a pool's queue: a share of the capacity and a first-in first-out list of the plain jobs (normal priority, no fairness
/// key) admitted through it, under its own lock. Producers pick the shard of the processor they run on and workers prefer their own, so
/// in the steady state a shard's lock and counters are touched by one processor's producers and one worker, never by every thread.
/// Jobs with a priority or a key also take their slot here (<see cref="TryReserve"/>) but wait in the <see cref="OrderedLane"/>.
/// </summary>
/// <remarks>
/// <para>Invariants, under <c>_lock</c>: <c>0 &lt;= _length &lt;= _used &lt;= _capacity</c>; <c>_length</c> is the list's count; an item
/// is in the list exactly when its <see cref="WorkItem.Shard"/> is this shard.</para>
/// <para><c>_used</c> and <c>_length</c> are also read without the lock, as hints: "empty" or "full" read that way is re-checked under the
/// lock before anything is decided, except by a worker's last look before it parks, which relies on the fences around it (see <see cref="JobQueue"/>).</para>
/// </remarks>
[DebuggerDisplay("Length = {_length}, Used = {_used}/{_capacity}")]
internal sealed class QueueShard
{
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private ItemList _items;
    private int _used;
    private int _length;
    private bool _closed;
#pragma warning disable IDE0051, IDE0044, CS0169 // never read: keeps the next shard's hot fields off this shard's cache lines
    private CacheLinePadding _padding;
#pragma warning restore IDE0051, IDE0044, CS0169

    internal QueueShard(int capacity)
    {
        Debug.Assert(capacity > 0);
        _capacity = capacity;
    }

    internal int Capacity => _capacity;

    /// <summary>Slots in use: plain jobs in the list plus the ordered lane's jobs that hold a slot here. A hint without the lock.</summary>
    internal int Used => Volatile.Read(ref _used); // a recent value, re-checked under the lock before use

    /// <summary>Plain jobs in the list. A hint without the lock.</summary>
    internal int Length => Volatile.Read(ref _length); // a recent value, re-checked under the lock before use

    /// <summary>Appends <paramref name="item"/> if the shard has room and is open; false otherwise.</summary>
    internal bool TryAdd(WorkItem item)
    {
        lock (_lock)
        {
            if (_closed || _used >= _capacity)
            {
                return false;
            }

            Link(item);
            AssertInvariants();
            return true;
        }
    }

    private void Link(WorkItem item)
    {
        Debug.Assert(item.Shard is null && !item.IsOrdered);
        _items.Append(item);
        item.Shard = this;
        Volatile.Write(ref _used, _used + 1); // under the lock; a release store for the hint readers
        Volatile.Write(ref _length, _items.Count); // under the lock; the release store lets spinning workers see the new item
    }

    /// <summary>Appends the leading plain items of <paramref name="items"/> while the shard has room, under one lock; returns how many.</summary>
    internal int TryAddRun(ReadOnlySpan<WorkItem> items)
    {
        lock (_lock)
        {
            int added = 0;
            while (!_closed && _used < _capacity && added < items.Length && !items[added].IsOrdered)
            {
                Link(items[added]);
                added++;
            }

            AssertInvariants();
            return added;
        }
    }

    /// <summary>Takes a slot for a job that waits in the ordered lane; false when the shard is full or closed.</summary>
    internal bool TryReserve()
    {
        lock (_lock)
        {
            if (_closed || _used >= _capacity)
            {
                return false;
            }

            Volatile.Write(ref _used, _used + 1); // under the lock, as in TryAdd
            return true;
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryReserve"/> (the job left the ordered lane).</summary>
    internal void Release()
    {
        lock (_lock)
        {
            Debug.Assert(_used > _length, "Only a reserved slot is released.");
            Volatile.Write(ref _used, _used - 1); // under the lock, as in TryAdd
        }
    }

    /// <summary>Takes the oldest item; null when the shard is empty. <paramref name="remaining"/> is how many stay behind it.</summary>
    internal WorkItem? TryTake(out int remaining)
    {
        if (Volatile.Read(ref _length) == 0) // hint: skip the lock of an empty shard
        {
            remaining = 0;
            return null;
        }

        lock (_lock)
        {
            WorkItem? item = _items.Head;
            if (item is not null)
            {
                Unlink(item);
            }

            remaining = _length;
            return item;
        }
    }

    /// <summary>Takes <paramref name="item"/> out of the list if it is still there (a job canceled while queued); false when a worker took it first.</summary>
    internal bool TryRemove(WorkItem item)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(item.Shard, this))
            {
                return false;
            }

            Unlink(item);
            return true;
        }
    }

    /// <summary>
    /// Refuses every later <see cref="TryAdd"/>. Once this returned for every shard, no producer can add an item any more: a producer
    /// that took the lock before saw the shard open and its item is in the list; one that takes it after sees it closed.
    /// </summary>
    internal void Close()
    {
        lock (_lock)
        {
            _closed = true;
        }
    }

    private void Unlink(WorkItem item)
    {
        Debug.Assert(ReferenceEquals(item.Shard, this));
        _items.Remove(item);
        item.Shard = null;
        Volatile.Write(ref _used, _used - 1); // under the lock, as in Link
        Volatile.Write(ref _length, _items.Count); // under the lock, as in Link
        AssertInvariants();
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_length >= 0 && _length <= _used && _used <= _capacity && _length == _items.Count);
        _items.AssertInvariants();
    }

    [StructLayout(LayoutKind.Sequential, Size = 128)]
    private struct CacheLinePadding
    {
    }
}
