using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// A pool's queue: admission against the capacity, the queued jobs, producers waiting for space, and the wake-up of a worker for each
/// new job. Capacity is counted in jobs that are queued now: a job canceled while queued leaves at once and frees its slot.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> The capacity is split over <see cref="QueueShard"/>s, each with its own lock and list. A producer adds to the shard
/// of the processor it runs on, or the next one with room; a worker takes from its home shard first and from every other shard when that
/// is empty, and every <see cref="FairnessInterval"/> jobs it starts from another shard, so that no shard waits behind a busy home worker.
/// Jobs of one shard start in the order they were queued; there is no order between shards. With one shard (one worker, or one core)
/// the queue is first-in first-out.</para>
/// <para><b>Lost wake-ups.</b> Three Dekker pairs, each a full fence on both sides:</para>
/// <list type="bullet">
/// <item>a producer links its item, fences, then looks for a spinner or a parked worker; a worker announces parking (a fence), then
/// looks at the shards once more (<see cref="ParkingLot"/>);</item>
/// <item>a producer links its item, fences, then reads the item's lifecycle; a caller's cancellation moves the lifecycle (a compare-exchange),
/// then reads where the item is: one of them takes a canceled item out;</item>
/// <item>a worker frees a slot, fences, then looks for waiting producers; a producer announces that it waits, then looks for a slot
/// (<see cref="CapacityWaiters"/>).</item>
/// </list>
/// <para><b>Closing.</b> <see cref="Close"/> closes every shard under its lock, then marks the queue sealed: after that no item can be
/// added, so a worker that finds the sealed queue empty may exit without stranding anything.</para>
/// </remarks>
[DebuggerDisplay("Count = {Count}/{Capacity}, Shards = {_shards.Length}, Closed = {IsClosed}")]
internal sealed class JobQueue
{
    /// <summary>Every this many jobs a worker starts its search from another shard than its own.</summary>
    internal const int FairnessInterval = 16;

    private readonly QueueShard[] _shards;
    private readonly int _capacity;
    private readonly ParkingLot _parkingLot;
    private readonly CapacityWaiters _waiters = new();
    private int _closing;
    private int _sealed;

    internal JobQueue(int capacity, int shardCount, ParkingLot parkingLot)
    {
        Debug.Assert(capacity > 0 && shardCount > 0 && shardCount <= capacity);
        _capacity = capacity;
        _parkingLot = parkingLot;
        _shards = new QueueShard[shardCount];
        for (int i = 0; i < shardCount; i++)
        {
            _shards[i] = new QueueShard(capacity / shardCount + (i < capacity % shardCount ? 1 : 0));
        }
    }

    internal int Capacity => _capacity;

    internal int ShardCount => _shards.Length;

    /// <summary>Workers that announced parking and were not claimed yet: asleep, or about to sleep. Exact at rest.</summary>
    internal int ParkedWorkers => _parkingLot.ParkedCount;

    /// <summary>Jobs queued now; a sum of per-shard counts read one after another, so a snapshot while producers and workers run.</summary>
    internal int Count
    {
        get
        {
            int count = 0;
            foreach (QueueShard shard in _shards)
            {
                count += shard.Count;
            }

            return count;
        }
    }

    /// <summary>Whether any shard holds a job: a hint for spinning workers, re-checked by taking.</summary>
    internal bool HasWork
    {
        get
        {
            foreach (QueueShard shard in _shards)
            {
                if (shard.Count != 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>True from the start of <see cref="Close"/>: no new job is admitted.</summary>
    internal bool IsClosed => Volatile.Read(ref _closing) != 0; // set once, by the first Close

    /// <summary>True once the queue is sealed and empty: a worker that finds nothing to do may exit.</summary>
    internal bool IsDrained => Volatile.Read(ref _sealed) != 0 && !HasWork; // sealed first: after it, counts only go down

    /// <summary>Tries to queue <paramref name="item"/> without waiting.</summary>
    internal Admission TryEnqueue(WorkItem item)
    {
        if (IsClosed)
        {
            return Admission.Closed;
        }

        if (_waiters.HasWaiters)
        {
            return Admission.QueueFull; // freed slots belong to the producers that wait, in order
        }

        if (!TryAddToAnyShard(item))
        {
            return IsClosed ? Admission.Closed : Admission.QueueFull;
        }

        OnLinked(item);
        return Admission.Enqueued;
    }

    /// <summary>Queues <paramref name="item"/> once a slot is free (Wait mode), behind the producers already waiting.</summary>
    internal Task<WaitOutcome> EnqueueWhenSpaceAsync(WorkItem item) => _waiters.Add(item, this);

    /// <summary>
    /// Takes the next job, starting at shard <paramref name="start"/>; null when every shard is empty.
    /// <paramref name="moreQueued"/> says whether jobs stayed behind it in its shard.
    /// </summary>
    internal WorkItem? TryDequeue(int start, out bool moreQueued)
    {
        QueueShard[] shards = _shards;
        for (int i = 0; i < shards.Length; i++)
        {
            WorkItem? item = shards[(start + i) % shards.Length].TryTake(out int remaining);
            if (item is not null)
            {
                SchedulePoint.Reach("JobQueue.Taken");
                moreQueued = remaining != 0;
                OnSlotFreed();
                return item;
            }
        }

        moreQueued = false;
        return null;
    }

    /// <summary>
    /// Takes <paramref name="item"/> out of the queue, or out of the producers' wait, after the caller's token canceled it while queued,
    /// and drops the queue's hold on it. Does nothing when a worker took it first, or when its producer has not queued it yet: that
    /// worker or producer sees the canceled lifecycle and lets go of it.
    /// </summary>
    internal void RemoveCanceled(WorkItem item)
    {
        Debug.Assert(item.IsCanceled);
        if (Volatile.Read(ref item.Shard) is { } shard && shard.TryRemove(item)) // read after the lifecycle's compare-exchange: pairs with OnLinked's fence
        {
            SchedulePoint.Reach("JobQueue.RemovedCanceled");
            OnSlotFreed();
            item.ReleaseHold(WorkItem.HeldByQueue);
        }
        else if (item.Waiter is { } waiter && _waiters.TryRemove(waiter))
        {
            waiter.Complete(WaitOutcome.Canceled); // the producer's wait ends, and it lets go of the item
        }
    }

    /// <summary>
    /// Closes the queue: no job is admitted from now on, producers waiting for space are refused, and every parked worker wakes to
    /// drain what is queued and exit. Returns true for the first call only.
    /// </summary>
    internal bool Close()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) // the first caller closes
        {
            return false;
        }

        foreach (QueueShard shard in _shards)
        {
            shard.Close();
        }

        Volatile.Write(ref _sealed, 1); // after every shard refuses adds: an empty sealed queue stays empty
        _waiters.Close();
        Interlocked.MemoryBarrier(); // sealed is visible before we look for parked workers: pairs with the fence in Parker.Announce
        _parkingLot.WakeAll();
        return true;
    }

    /// <summary>Under no lock but a shard's: links <paramref name="item"/> into the first shard with room, from the current processor's.</summary>
    internal bool TryAddToAnyShard(WorkItem item)
    {
        QueueShard[] shards = _shards;
        int start = Thread.GetCurrentProcessorId() % shards.Length;
        for (int i = 0; i < shards.Length; i++)
        {
            QueueShard shard = shards[(start + i) % shards.Length];
            if (shard.Count < shard.Capacity && shard.TryAdd(item)) // the hint skips full shards without their lock
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// After <paramref name="item"/> was linked into a shard: takes it out again if its caller canceled it meanwhile, otherwise wakes a
    /// parked worker unless one is spinning (the spinner takes it and wakes helpers if more follow).
    /// </summary>
    internal void OnLinked(WorkItem item)
    {
        Interlocked.MemoryBarrier(); // the linked item is visible before we read its lifecycle and the parking lot (see the remarks)
        SchedulePoint.Reach("JobQueue.Linked");
        if (item.IsCanceled)
        {
            RemoveCanceled(item); // its cancellation callback found it not yet linked
            return;
        }

        if (!_parkingLot.IsSpinning)
        {
            _parkingLot.WakeOne();
        }
    }

    /// <summary>A slot was freed (taken or removed): offers it to the oldest waiting producer, if any.</summary>
    private void OnSlotFreed()
    {
        Interlocked.MemoryBarrier(); // the freed slot is visible before we look for waiters: pairs with the announcement in CapacityWaiters.Add
        if (_waiters.HasWaiters)
        {
            _waiters.Serve(this);
        }
    }
}
