using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// The part of a pool's queue that orders jobs: those with a <see cref="JobPriority"/> other than normal or with a fairness key. Jobs
/// are chosen by priority first, with aging; then the keys of the chosen level are served in turns (round robin); within a key, first in
/// first out. The plain jobs in the shards (normal priority, no key) take part as one more member of the normal level's round, so a
/// flood of plain jobs and a keyed tenant share the workers in turns too. One lock guards everything here: only pools that use
/// priorities or keys pay for it, and the queue skips this lane entirely while it is empty.
/// </summary>
/// <remarks>
/// <para><b>Aging.</b> Each level remembers since when it has had jobs without being served (<c>Since</c>, in milliseconds, set when a
/// worker first sees it non-empty and reset each time it is served). A level that waited <c>n</c> × <see cref="WorkerPoolOptions.PriorityAging"/>
/// competes as if <c>n</c> levels higher (at most high); between equal effective levels the one that waited longer wins. The oldest job
/// of a level waited at least as long as the level did, so no job is promoted before its time. Under a steady stream of high-priority
/// jobs, the normal level is therefore served at least once every aging period and the low level at least once every two.</para>
/// <para>Invariants, under the lock: <c>_count</c> is the number of items in every lane; a level's <c>ItemCount</c> is the sum of its lanes'
/// counts; a lane is in its level's ring exactly when it holds items (the normal level's fast-lane marker always is); a key is in
/// <c>_keys</c> exactly when its <c>Queued</c> is positive.</para>
/// </remarks>
[DebuggerDisplay("Count = {_count}, Keys = {_keys.Count}")]
internal sealed class OrderedLane
{
    internal const int Levels = 3;
    internal const int HighLevel = 0;
    internal const int NormalLevel = 1;
    internal const int LowLevel = 2;

    private const int MaxSpareKeys = 64;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, FairKey> _keys = new(StringComparer.Ordinal);
    private readonly Stack<FairKey> _spareKeys = new();
    private readonly FairKey _unkeyed = new(null);
    private readonly Level[] _levels = [new(), new(), new()];
    private readonly KeyLane _fastLaneMarker;
    private readonly int _maxQueuedPerKey;
    private readonly long _agingMilliseconds;
    private int _count;
    private int _keyCount;

    internal OrderedLane(int maxQueuedPerKey, TimeSpan priorityAging)
    {
        _maxQueuedPerKey = maxQueuedPerKey;
        _agingMilliseconds = Math.Max(1, (long)priorityAging.TotalMilliseconds);
        _fastLaneMarker = new KeyLane(_unkeyed, NormalLevel);
        _levels[NormalLevel].Insert(_fastLaneMarker);
    }

    /// <summary>Jobs waiting here; a hint without the lock, read by workers to skip this lane while it is empty.</summary>
    internal int Count => Volatile.Read(ref _count); // written under the lock

    /// <summary>Fairness keys with jobs waiting here (the shared key of jobs without one not counted).</summary>
    internal int KeyCount => Volatile.Read(ref _keyCount); // written under the lock

    internal static int LevelOf(JobPriority priority) => priority switch
    {
        JobPriority.High => HighLevel,
        JobPriority.Low => LowLevel,
        _ => NormalLevel,
    };

    /// <summary>Queues <paramref name="item"/>; false when its key already has <see cref="WorkerPoolOptions.MaxQueuedPerKey"/> jobs queued.</summary>
    internal bool TryAdd(WorkItem item)
    {
        lock (_lock)
        {
            string? key = item.FairnessKey;
            FairKey owner = key is null ? _unkeyed : GetOrAddKey(key);
            if (key is not null && owner.Queued >= _maxQueuedPerKey)
            {
                ForgetIfIdle(owner);
                return false;
            }

            KeyLane lane = owner.LaneAt(item.Level);
            if (lane.Count == 0)
            {
                _levels[item.Level].Insert(lane); // joins at the end of the level's current round
            }

            lane.Append(item);
            owner.Queued++;
            _levels[item.Level].ItemCount++;
            Volatile.Write(ref _count, _count + 1); // under the lock; a release store for the workers' hint
            AssertInvariants();
            return true;
        }
    }

    /// <summary>
    /// Chooses the next job by priority (with aging), then key in turns. Returns it, or null with <paramref name="takePlainJob"/> true
    /// when the turn belongs to the plain jobs in the shards, or null and false when nothing waits.
    /// </summary>
    /// <param name="plainJobsWait">Whether the shards hold plain jobs (a hint): they count as one member of the normal level.</param>
    /// <param name="takePlainJob">True when the caller should take a plain job from the shards now.</param>
    internal WorkItem? TryTake(bool plainJobsWait, out bool takePlainJob)
    {
        takePlainJob = false;
        lock (_lock)
        {
            int level = ChooseLevel(plainJobsWait, Environment.TickCount64);
            if (level < 0)
            {
                return null;
            }

            KeyLane lane = _levels[level].NextTurn(_fastLaneMarker, plainJobsWait);
            if (ReferenceEquals(lane, _fastLaneMarker))
            {
                takePlainJob = true;
                return null;
            }

            WorkItem item = lane.Head!;
            Unlink(item);
            AssertInvariants();
            return item;
        }
    }

    /// <summary>Takes <paramref name="item"/> out (its caller canceled it); false when a worker took it first.</summary>
    internal bool TryRemove(WorkItem item)
    {
        lock (_lock)
        {
            if (item.Lane is null) // set and cleared under this lock
            {
                return false;
            }

            Unlink(item);
            AssertInvariants();
            return true;
        }
    }

    /// <summary>Takes every queued job out, in no particular order (a forced shutdown, <see cref="WorkerPool.CancelQueued"/>).</summary>
    internal List<WorkItem> TakeAll()
    {
        var items = new List<WorkItem>();
        lock (_lock)
        {
            for (int level = 0; level < Levels; level++)
            {
                while (_levels[level].FirstLaneWithItems(_fastLaneMarker) is { } lane)
                {
                    WorkItem item = lane.Head!;
                    Unlink(item);
                    items.Add(item);
                }
            }

            AssertInvariants();
        }

        return items;
    }

    /// <summary>Under the lock: the level to serve now, or -1 when nothing waits.</summary>
    private int ChooseLevel(bool plainJobsWait, long now)
    {
        int best = -1;
        long bestEffective = long.MaxValue;
        long bestSince = long.MaxValue;
        for (int level = 0; level < Levels; level++)
        {
            ref Level state = ref _levels[level];
            bool waiting = state.ItemCount > 0 || (level == NormalLevel && plainJobsWait);
            if (!waiting)
            {
                state.Since = 0;
                continue;
            }

            if (state.Since == 0)
            {
                state.Since = now;
            }

            long effective = Math.Max(0, level - ((now - state.Since) / _agingMilliseconds));
            if (effective < bestEffective || (effective == bestEffective && state.Since < bestSince))
            {
                best = level;
                bestEffective = effective;
                bestSince = state.Since;
            }
        }

        if (best >= 0)
        {
            _levels[best].Since = now; // served now: its wait starts again
        }

        return best;
    }

    private void Unlink(WorkItem item)
    {
        KeyLane lane = item.Lane!;
        lane.Remove(item);
        if (lane.Count == 0)
        {
            _levels[lane.Level].Remove(lane);
        }

        _levels[lane.Level].ItemCount--;
        FairKey owner = lane.Owner;
        owner.Queued--;
        ForgetIfIdle(owner);
        Volatile.Write(ref _count, _count - 1); // under the lock, as in TryAdd
    }

    private FairKey GetOrAddKey(string key)
    {
        if (!_keys.TryGetValue(key, out FairKey? owner))
        {
            owner = _spareKeys.TryPop(out FairKey? spare) ? spare : new FairKey(key);
            owner.Key = key;
            _keys.Add(key, owner);
            Volatile.Write(ref _keyCount, _keys.Count); // under the lock; read by the keys gauge
        }

        return owner;
    }

    /// <summary>A key with nothing queued costs nothing: it leaves the table, and its object is kept for the next new key.</summary>
    private void ForgetIfIdle(FairKey owner)
    {
        if (owner.Queued != 0 || ReferenceEquals(owner, _unkeyed))
        {
            return;
        }

        _keys.Remove(owner.Key!);
        Volatile.Write(ref _keyCount, _keys.Count); // under the lock, as in GetOrAddKey
        owner.Key = null;
        if (_spareKeys.Count < MaxSpareKeys)
        {
            _spareKeys.Push(owner);
        }
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        int total = 0;
        for (int level = 0; level < Levels; level++)
        {
            Debug.Assert(_levels[level].ItemCount >= 0);
            total += _levels[level].ItemCount;
        }

        Debug.Assert(total == _count, "Every queued job is counted in its level.");
        Debug.Assert(_keys.Count == _keyCount);
    }

    /// <summary>One priority level: its round of lanes with jobs, whose turn is next, its job count and since when it waits.</summary>
    private struct Level
    {
        private KeyLane? _next;

        /// <summary>Jobs of this level in the ordered lane (the plain jobs in the shards are not counted).</summary>
        public int ItemCount;

        /// <summary>Since when (ms) the level has had jobs without being served; 0 while it has none.</summary>
        public long Since;

        /// <summary>Adds <paramref name="lane"/> to the round, just before the lane whose turn is next: it is served last in this round.</summary>
        public void Insert(KeyLane lane)
        {
            Debug.Assert(lane.RingNext is null && lane.RingPrevious is null);
            if (_next is null)
            {
                lane.RingNext = lane;
                lane.RingPrevious = lane;
                _next = lane;
                return;
            }

            KeyLane last = _next.RingPrevious!;
            last.RingNext = lane;
            lane.RingPrevious = last;
            lane.RingNext = _next;
            _next.RingPrevious = lane;
        }

        public void Remove(KeyLane lane)
        {
            Debug.Assert(lane.RingNext is not null);
            if (ReferenceEquals(lane.RingNext, lane))
            {
                _next = null;
            }
            else
            {
                lane.RingPrevious!.RingNext = lane.RingNext;
                lane.RingNext!.RingPrevious = lane.RingPrevious;
                if (ReferenceEquals(_next, lane))
                {
                    _next = lane.RingNext;
                }
            }

            lane.RingNext = null;
            lane.RingPrevious = null;
        }

        /// <summary>The lane whose turn it is (skipping the fast-lane marker when no plain job waits); the turn then passes on.</summary>
        public KeyLane NextTurn(KeyLane fastLaneMarker, bool plainJobsWait)
        {
            KeyLane lane = _next!;
            while (ReferenceEquals(lane, fastLaneMarker) && !plainJobsWait)
            {
                lane = lane.RingNext!;
            }

            _next = lane.RingNext;
            return lane;
        }

        public readonly KeyLane? FirstLaneWithItems(KeyLane fastLaneMarker)
        {
            KeyLane? lane = _next;
            if (lane is null)
            {
                return null;
            }

            do
            {
                if (!ReferenceEquals(lane, fastLaneMarker))
                {
                    return lane;
                }

                lane = lane.RingNext!;
            }
            while (!ReferenceEquals(lane, _next));

            return null;
        }
    }
}
