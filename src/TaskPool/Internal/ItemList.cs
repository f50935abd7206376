using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// A first-in first-out list of work items linked through their own <see cref="WorkItem.QueuePrevious"/> and
/// <see cref="WorkItem.QueueNext"/> (no node allocation, O(1) removal from the middle). Not thread-safe: its owner guards it.
/// </summary>
[DebuggerDisplay("Count = {Count}")]
internal struct ItemList
{
    private WorkItem? _tail;

    public WorkItem? Head { get; private set; }

    public int Count { get; private set; }

    public void Append(WorkItem item)
    {
        Debug.Assert(item.QueueNext is null && item.QueuePrevious is null);
        item.QueuePrevious = _tail;
        if (_tail is null)
        {
            Head = item;
        }
        else
        {
            _tail.QueueNext = item;
        }

        _tail = item;
        Count++;
    }

    /// <summary>Unlinks <paramref name="item"/>, which must be in this list.</summary>
    public void Remove(WorkItem item)
    {
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
            _tail = previous;
        }
        else
        {
            next.QueuePrevious = previous;
        }

        item.QueuePrevious = null;
        item.QueueNext = null;
        Count--;
        AssertInvariants();
    }

    [Conditional("DEBUG")]
    public readonly void AssertInvariants()
    {
        Debug.Assert(Count >= 0 && (Count == 0) == (Head is null) && (Head is null) == (_tail is null));
        Debug.Assert(Head is null || Head.QueuePrevious is null);
        Debug.Assert(_tail is null || _tail.QueueNext is null);
    }
}
