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

    private ItemList _items;

    internal WorkItem? Head => _items.Head;

    internal int Count => _items.Count;

    /// <summary>The ring neighbours; null while the lane is not in its level's ring.</summary>
    internal KeyLane? RingNext { get; set; }

    internal KeyLane? RingPrevious { get; set; }

    internal void Append(WorkItem item)
    {
        Debug.Assert(item.Lane is null);
        _items.Append(item);
        item.Lane = this;
    }

    internal void Remove(WorkItem item)
    {
        Debug.Assert(ReferenceEquals(item.Lane, this));
        _items.Remove(item);
        item.Lane = null;
    }
}
