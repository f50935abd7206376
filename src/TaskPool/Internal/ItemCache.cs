using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// Keeps idle work items of one concrete type for reuse without a shared cache line per job: one item per thread (the serial
/// submit-and-await loop never leaves it), then a small stack per processor under its own lock, then the other processors' stacks.
/// Holds at most <see cref="RetainedPerType"/> items across the stacks (plus one per thread); beyond that, items are left to the GC.
/// </summary>
/// <typeparam name="T">The concrete item type.</typeparam>
internal static class ItemCache<T>
    where T : class, new()
{
    /// <summary>Enough for a caller that fans out a batch of a thousand jobs and awaits them, so that such batches allocate nothing.</summary>
    internal const int RetainedPerType = 1024;

#pragma warning disable IDE1006 // thread-static fields use the t_ prefix, as in dotnet/runtime
    [ThreadStatic]
    private static T? t_item;
#pragma warning restore IDE1006

    private static readonly Stack[] s_stacks = CreateStacks();

    internal static T Rent()
    {
        T? item = t_item;
        if (item is not null)
        {
            t_item = null;
            return item;
        }

        Stack[] stacks = s_stacks;
        int home = Thread.GetCurrentProcessorId() % stacks.Length;
        for (int i = 0; i < stacks.Length; i++)
        {
            if (stacks[(home + i) % stacks.Length].TryPop(out item))
            {
                return item;
            }
        }

        return new T();
    }

    internal static void Return(T item)
    {
        if (t_item is null)
        {
            t_item = item;
            return;
        }

        Stack[] stacks = s_stacks;
        int home = Thread.GetCurrentProcessorId() % stacks.Length;
        for (int i = 0; i < stacks.Length; i++)
        {
            if (stacks[(home + i) % stacks.Length].TryPush(item))
            {
                return;
            }
        }
    }

    private static Stack[] CreateStacks()
    {
        int count = Math.Max(1, Math.Min(Environment.ProcessorCount, 64));
        var stacks = new Stack[count];
        for (int i = 0; i < count; i++)
        {
            stacks[i] = new Stack(Math.Max(8, RetainedPerType / count));
        }

        return stacks;
    }

    /// <summary>One processor's stack; its lock is contended only by threads that run on that processor at the same moment.</summary>
    [DebuggerDisplay("Count = {_count}")]
    private sealed class Stack(int capacity)
    {
        private readonly Lock _lock = new();
        private readonly T?[] _items = new T?[capacity];
        private int _count;

        internal bool TryPop(out T item)
        {
            lock (_lock)
            {
                if (_count > 0)
                {
                    item = _items[--_count]!;
                    _items[_count] = null;
                    return true;
                }
            }

            item = null!;
            return false;
        }

        internal bool TryPush(T item)
        {
            lock (_lock)
            {
                if (_count < _items.Length)
                {
                    _items[_count++] = item;
                    return true;
                }
            }

            return false;
        }
    }
}
