using System.Collections.Concurrent;

namespace TaskPool.Internal;

/// <summary>Slot numbers of the live <see cref="WorkerLocal{T}"/> instances; a disposed local's slot is reused.</summary>
internal static class WorkerLocalSlots
{
    private static readonly ConcurrentStack<int> s_free = new();
    private static int s_next;

    internal static int Rent() => s_free.TryPop(out int slot) ? slot : Interlocked.Increment(ref s_next) - 1; // unique across threads

    internal static void Return(int slot) => s_free.Push(slot);
}
