using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// Keeps idle work items of one concrete type for reuse without a shared cache line per job: each thread has a small stash of its own,
/// and stashes trade with per-processor stacks in chunks, under the stack's lock, so that a producer that rents a burst of items (or a
/// thread that returns one) takes a lock once per <see cref="ChunkSize"/> items, not once per item. The stacks hold at most
/// <see cref="RetainedPerType"/> items together; beyond that, items are left to the GC.
/// </summary>
/// <typeparam name="T">The concrete item type.</typeparam>
internal static class ItemCache<T>
    where T : class, new()
{
    /// <summary>Enough for a caller that fans out a batch of a thousand jobs and awaits them, so that such batches allocate nothing.</summary>
    internal const int RetainedPerType = 1024;

    /// <summary>How many items move between a thread's stash and a processor's stack at once.</summary>
    internal const int ChunkSize = 16;

    private const int StashCapacity = 2 * ChunkSize;

#pragma warning disable IDE1006 // thread-static fields use the t_ prefix, as in dotnet/runtime
    [ThreadStatic]
    private static Stash? t_stash;
#pragma warning restore IDE1006

    private static readonly SharedStack[] s_stacks = CreateStacks();

    internal static T Rent()
    {
        Stash stash = t_stash ??= new Stash();
        if (stash.Count == 0 && !Refill(stash))
        {
            return new T();
        }

        return stash.Pop();
    }

    internal static void Return(T item)
    {
        Stash stash = t_stash ??= new Stash();
        if (stash.Count == StashCapacity)
        {
            Spill(stash);
        }

        stash.Push(item);
    }

    /// <summary>Moves up to a chunk from the processor's stack (or the others') into an empty stash; false when every stack is empty.</summary>
    private static bool Refill(Stash stash)
    {
        SharedStack[] stacks = s_stacks;
        int home = Thread.GetCurrentProcessorId() % stacks.Length;
        for (int i = 0; i < stacks.Length; i++)
        {
            if (stacks[(home + i) % stacks.Length].TryTakeChunk(stash))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Moves a chunk out of a full stash into the processor's stack (or another one with room); dropped when all are full.</summary>
    private static void Spill(Stash stash)
    {
        SharedStack[] stacks = s_stacks;
        int home = Thread.GetCurrentProcessorId() % stacks.Length;
        for (int i = 0; i < stacks.Length; i++)
        {
            if (stacks[(home + i) % stacks.Length].TryGiveChunk(stash))
            {
                return;
            }
        }

        stash.Drop(ChunkSize); // every stack is full: leave a chunk to the GC
    }

    private static SharedStack[] CreateStacks()
    {
        int count = Math.Max(1, Math.Min(Environment.ProcessorCount, 64));
        var stacks = new SharedStack[count];
        for (int i = 0; i < count; i++)
        {
            stacks[i] = new SharedStack(Math.Max(2 * ChunkSize, RetainedPerType / count));
        }

        return stacks;
    }

    /// <summary>One thread's items: touched by that thread only.</summary>
    [DebuggerDisplay("Count = {Count}")]
    private sealed class Stash
    {
        private readonly T?[] _items = new T?[StashCapacity];

        internal int Count { get; private set; }

        internal T Pop()
        {
            Debug.Assert(Count > 0);
            T item = _items[--Count]!;
            _items[Count] = null;
            return item;
        }

        internal void Push(T item)
        {
            Debug.Assert(Count < StashCapacity);
            _items[Count++] = item;
        }

        internal void Drop(int count)
        {
            for (int i = 0; i < count && Count > 0; i++)
            {
                _items[--Count] = null;
            }
        }
    }

    /// <summary>One processor's stack; its lock is contended only by threads on that processor, or that found theirs empty or full.</summary>
    [DebuggerDisplay("Count = {_count}")]
    private sealed class SharedStack(int capacity)
    {
        private readonly Lock _lock = new();
        private readonly T?[] _items = new T?[capacity];
        private int _count;

        internal bool TryTakeChunk(Stash stash)
        {
            if (Volatile.Read(ref _count) == 0) // a hint: skip an empty stack without its lock
            {
                return false;
            }

            lock (_lock)
            {
                int take = Math.Min(ChunkSize, _count);
                for (int i = 0; i < take; i++)
                {
                    stash.Push(_items[--_count]!);
                    _items[_count] = null;
                }

                return take > 0;
            }
        }

        internal bool TryGiveChunk(Stash stash)
        {
            if (Volatile.Read(ref _count) > _items.Length - ChunkSize) // a hint: skip a full stack without its lock
            {
                return false;
            }

            lock (_lock)
            {
                if (_count > _items.Length - ChunkSize)
                {
                    return false;
                }

                for (int i = 0; i < ChunkSize; i++)
                {
                    _items[_count++] = stash.Pop();
                }

                return true;
            }
        }
    }
}
