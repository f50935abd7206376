using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// The jobs of one fairness key at one priority level, first-in first-out: a member of that level's round-robin ring while it holds
/// jobs. All of it is guarded by the <see cref="OrderedLane"/>'s lock.
/// </summary>
[DebuggerDisplay("Key = {Owner.Key}, Level = {Level}, Count = {Count}")]
internal sealed class KeyLane(FairKey owner, int level)
{
    internal FairKey Owner { get; } = owner;

    internal int Level { get; } = level;

    internal WorkItem? Head { get; private set; }

    internal int Count { get; private set; }

    /// <summary>The ring neighbours; null while the lane is not in its level's ring.</summary>
    internal KeyLane? RingNext { get; set; }

    internal KeyLane? RingPrevious { get; set; }

    private WorkItem? Tail { get; set; }

    internal void Append(WorkItem item)
    {
        Debug.Assert(item.Lane is null && item.QueueNext is null && item.QueuePrevious is null);
        item.QueuePrevious = Tail;
        if (Tail is null)
        {
            Head = item;
        }
        else
        {
            Tail.QueueNext = item;
        }

        Tail = item;
        item.Lane = this;
        Count++;
    }

    internal void Remove(WorkItem item)
    {
        Debug.Assert(ReferenceEquals(item.Lane, this));
        WorkItem? previous = item.QueuePrevious;
        WorkItem? next = item.QueueNext;
        if (previous is null)
        {
            Head = next;
        }
        else
        {
            previous.QueueNext = next;
        }

        if (next is null)
        {
            Tail = previous;
        }
        else
        {
            next.QueuePrevious = previous;
        }

        item.QueuePrevious = null;
        item.QueueNext = null;
        item.Lane = null;
        Count--;
        Debug.Assert(Count >= 0 && (Count == 0) == (Head is null));
    }
}
