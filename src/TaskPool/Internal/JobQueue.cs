using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// A pool's queue: admission against the capacity, the queued jobs, producers waiting for space, and the wake-up of a worker for each
/// new job. Capacity is counted in jobs that are queued now: a job canceled while queued leaves at once and frees its slot.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> The capacity is split over <see cref="QueueShard"/>s, each with its own lock and list. A producer adds a plain
/// job (normal priority, no fairness key) to the shard of the processor it runs on, or the next one with room; a worker takes from its
/// home shard first and from every other shard when that is empty, and every <see cref="FairnessInterval"/> jobs it starts from another
/// shard, so that no shard waits behind a busy home worker. Plain jobs of one shard start in the order they were queued; there is no
/// order between shards. With one shard (one worker, or one core) plain jobs are first-in first-out.</para>
/// <para>A job with a priority or a key takes a slot in a shard (<see cref="QueueShard.TryReserve"/>) and waits in the
/// <see cref="OrderedLane"/>, which orders by priority (with aging), then key in turns, then first-in first-out. While that lane holds
/// jobs, workers ask it first; it hands the turn back to the shards when the plain jobs' turn comes.</para>
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
    private readonly OrderedLane _ordered;
    private readonly bool _limitsKeys;
    private readonly CapacityWaiters _waiters = new();
    private int _closing;
    private int _sealed;

    internal JobQueue(int capacity, int shardCount, ParkingLot parkingLot, int maxQueuedPerKey, TimeSpan priorityAging)
    {
        Debug.Assert(capacity > 0 && shardCount > 0 && shardCount <= capacity);
        _capacity = capacity;
        _parkingLot = parkingLot;
        _ordered = new OrderedLane(maxQueuedPerKey, priorityAging);
        _limitsKeys = maxQueuedPerKey != int.MaxValue;
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
                count += shard.Used;
            }

            return count;
        }
    }

    /// <summary>Fairness keys with jobs queued now.</summary>
    internal int KeyCount => _ordered.KeyCount;

    /// <summary>Whether any shard holds a job: a hint for spinning workers, re-checked by taking.</summary>
    internal bool HasWork => _ordered.Count != 0 || HasPlainJobs;

    /// <summary>Whether a shard has a free slot: a hint.</summary>
    internal bool HasRoom
    {
        get
        {
            foreach (QueueShard shard in _shards)
            {
                if (shard.Used < shard.Capacity)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Whether any shard's list holds a plain job: a hint.</summary>
    private bool HasPlainJobs
    {
        get
        {
            foreach (QueueShard shard in _shards)
            {
                if (shard.Length != 0)
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

        if (!_limitsKeys && _waiters.HasWaiters)
        {
            // Freed slots belong to the producers that wait, in order. (With a per-key limit some of them may wait for their key,
            // not for a slot, and must not hold back other keys: then a slot goes to whoever asks first.)
            return Admission.QueueFull;
        }

        Admission admission = TryLink(item, out bool gaveBackSlot);
        if (gaveBackSlot)
        {
            OnSlotFreed();
        }

        if (admission == Admission.Enqueued)
        {
            OnLinked(item);
        }
        else if (admission == Admission.QueueFull && IsClosed)
        {
            admission = Admission.Closed;
        }

        return admission;
    }

    /// <summary>
    /// Queues as many of <paramref name="items"/> as fit, in order, without waiting: one lock per shard for the plain ones, one fence,
    /// and one wake-up per worker needed rather than per job. Returns how many were queued (the first ones); the caller waits for space
    /// for the rest. Returns 0 when the queue is closed.
    /// </summary>
    internal int TryEnqueueMany(ReadOnlySpan<WorkItem> items)
    {
        if (IsClosed || (!_limitsKeys && _waiters.HasWaiters))
        {
            return 0;
        }

        int linked = 0;
        bool gaveBackSlot = false;
        while (linked < items.Length)
        {
            WorkItem item = items[linked];
            Admission admission;
            if (item.IsOrdered)
            {
                admission = TryLink(item, out bool gaveBack);
                gaveBackSlot |= gaveBack;
            }
            else
            {
                int added = TryAddRunToAnyShard(items[linked..]);
                admission = added == 0 ? Admission.QueueFull : Admission.Enqueued;
                linked += Math.Max(0, added - 1);
            }

            if (admission != Admission.Enqueued)
            {
                break;
            }

            linked++;
        }

        if (gaveBackSlot)
        {
            OnSlotFreed();
        }

        if (linked == 0)
        {
            return 0;
        }

        Interlocked.MemoryBarrier(); // as in OnLinked: the linked items are visible before we read their lifecycles and the parking lot
        SchedulePoint.Reach("JobQueue.LinkedMany");
        int live = 0;
        foreach (WorkItem item in items[..linked])
        {
            if (item.IsCanceled)
            {
                RemoveCanceled(item);
            }
            else
            {
                live++;
            }
        }

        for (int i = 0; i < live && !_parkingLot.IsSpinning && _parkingLot.WakeOne(); i++)
        {
        }

        return linked;
    }

    /// <summary>
    /// Links <paramref name="item"/> into a shard's list, or into the ordered lane with a slot reserved in a shard; does not wake anyone
    /// (the caller then calls <see cref="OnLinked"/>). <paramref name="gaveBackSlot"/>: a slot it reserved and gave back (the key was
    /// full) is free again, and a producer may have started to wait meanwhile: a caller outside the waiters' lock calls <see cref="OnSlotFreed"/>.
    /// </summary>
    internal Admission TryLink(WorkItem item, out bool gaveBackSlot)
    {
        SchedulePoint.Reach("JobQueue.Linking");
        gaveBackSlot = false;
        if (!item.IsOrdered)
        {
            return TryAddToAnyShard(item) ? Admission.Enqueued : Admission.QueueFull;
        }

        QueueShard? shard = TryReserveInAnyShard();
        if (shard is null)
        {
            return Admission.QueueFull;
        }

        item.SlotShard = shard; // before the item is visible to workers: the one that takes it gives the slot back
        if (_ordered.TryAdd(item))
        {
            return Admission.Enqueued;
        }

        item.SlotShard = null;
        shard.Release();
        gaveBackSlot = true;
        return Admission.KeyFull;
    }

    /// <summary>Queues <paramref name="item"/> once a slot is free (Wait mode), behind the producers already waiting.</summary>
    internal Task<WaitOutcome> EnqueueWhenSpaceAsync(WorkItem item) => _waiters.Add(item, this);

    /// <summary>Whether a new job would have to wait now: no free slot, or producers already waiting for one.</summary>
    internal bool MustWait => !HasRoom || _waiters.HasWaiters;

    /// <summary>A wait, behind waiting producers, until the queue has room; see <see cref="CapacityWaiters.AddWatcher"/>.</summary>
    internal CapacityWaiter WatchCapacity() => _waiters.AddWatcher(this);

    /// <summary>Ends a <see cref="WatchCapacity"/> wait early; false when it completed first.</summary>
    internal bool CancelWatch(CapacityWaiter watcher)
    {
        if (!_waiters.TryRemove(watcher))
        {
            return false;
        }

        watcher.Complete(WaitOutcome.Canceled);
        return true;
    }

    /// <summary>
    /// Takes every producer waiting for space out of the wait (<see cref="WorkerPool.CancelQueued"/>); the caller cancels each one's
    /// item, then completes its waiter with <see cref="WaitOutcome.Canceled"/>.
    /// </summary>
    internal List<CapacityWaiter> TakeWaitingProducers() => _waiters.TakeProducers();

    /// <summary>
    /// Takes the next job: from the ordered lane first while it holds jobs (it may give the turn to the plain jobs), otherwise a plain
    /// job starting at shard <paramref name="start"/>; null when nothing is queued. <paramref name="moreQueued"/> says whether jobs stayed
    /// behind it.
    /// </summary>
    internal WorkItem? TryDequeue(int start, out bool moreQueued)
    {
        if (_ordered.Count != 0)
        {
            WorkItem? ordered = _ordered.TryTake(HasPlainJobs, out _); // null: the plain jobs' turn, or another worker emptied the lane
            if (ordered is not null)
            {
                SchedulePoint.Reach("JobQueue.TakenOrdered");
                moreQueued = HasWork;
                ordered.SlotShard!.Release();
                ordered.SlotShard = null;
                OnSlotFreed();
                return ordered;
            }

        }

        QueueShard[] shards = _shards;
        for (int i = 0; i < shards.Length; i++)
        {
            WorkItem? item = shards[(start + i) % shards.Length].TryTake(out int remaining);
            if (item is not null)
            {
                SchedulePoint.Reach("JobQueue.Taken");
                moreQueued = remaining != 0 || _ordered.Count != 0;
                OnSlotFreed();
                return item;
            }
        }

        moreQueued = _ordered.Count != 0;
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
        else if (Volatile.Read(ref item.Lane) is not null && _ordered.TryRemove(item)) // as above
        {
            SchedulePoint.Reach("JobQueue.RemovedCanceled");
            item.SlotShard!.Release();
            item.SlotShard = null;
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
        SchedulePoint.Reach("JobQueue.Sealed");
        _waiters.Close();
        Interlocked.MemoryBarrier(); // sealed is visible before we look for parked workers: pairs with the fence in Parker.Announce
        _parkingLot.WakeAll();
        return true;
    }

    /// <summary>
    /// Takes every job still queued out of the queue, without running it (a forced shutdown, <see cref="WorkerPool.CancelQueued"/>);
    /// the caller completes each one and drops the queue's hold. Workers may take jobs concurrently: each job is taken once.
    /// </summary>
    internal List<WorkItem> TakeAll()
    {
        List<WorkItem> items = _ordered.TakeAll();
        foreach (WorkItem item in items)
        {
            item.SlotShard!.Release();
            item.SlotShard = null;
        }

        foreach (QueueShard shard in _shards)
        {
            while (shard.TryTake(out _) is { } item)
            {
                items.Add(item);
            }
        }

        if (items.Count != 0)
        {
            OnSlotFreed();
        }

        return items;
    }

    /// <summary>Links <paramref name="item"/> into the first shard with room, from the current processor's.</summary>
    private bool TryAddToAnyShard(WorkItem item)
    {
        QueueShard[] shards = _shards;
        int start = Thread.GetCurrentProcessorId() % shards.Length;
        for (int i = 0; i < shards.Length; i++)
        {
            QueueShard shard = shards[(start + i) % shards.Length];
            if (shard.Used < shard.Capacity && shard.TryAdd(item)) // the hint skips full shards without their lock
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Links a run of plain items into shards with room, as many per lock as fit, from the current processor's shard; returns how many.</summary>
    private int TryAddRunToAnyShard(ReadOnlySpan<WorkItem> items)
    {
        QueueShard[] shards = _shards;
        int start = Thread.GetCurrentProcessorId() % shards.Length;
        int added = 0;
        for (int i = 0; i < shards.Length && added < items.Length && !items[added].IsOrdered; i++)
        {
            QueueShard shard = shards[(start + i) % shards.Length];
            if (shard.Used < shard.Capacity)
            {
                added += shard.TryAddRun(items[added..]);
            }
        }

        return added;
    }

    /// <summary>Takes a slot in the first shard with room, from the current processor's; null when every shard is full or closed.</summary>
    private QueueShard? TryReserveInAnyShard()
    {
        QueueShard[] shards = _shards;
        int start = Thread.GetCurrentProcessorId() % shards.Length;
        for (int i = 0; i < shards.Length; i++)
        {
            QueueShard shard = shards[(start + i) % shards.Length];
            if (shard.Used < shard.Capacity && shard.TryReserve()) // the hint skips full shards without their lock
            {
                return shard;
            }
        }

        return null;
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
    internal void OnSlotFreed()
    {
        Interlocked.MemoryBarrier(); // the freed slot is visible before we look for waiters: pairs with the announcement in CapacityWaiters.Add
        SchedulePoint.Reach("JobQueue.SlotFreed");
        if (_waiters.HasWaiters)
        {
            _waiters.Serve(this);
        }
    }
}
