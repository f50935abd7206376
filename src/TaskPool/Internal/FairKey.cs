using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>One fairness key with jobs queued in the <see cref="OrderedLane"/>: its count (for the per-key limit) and one lane per level.</summary>
[DebuggerDisplay("Key = {Key}, Queued = {Queued}")]
internal sealed class FairKey
{
    private readonly KeyLane?[] _lanes = new KeyLane?[OrderedLane.Levels];

    internal FairKey(string? key) => Key = key;

    /// <summary>The key; null for the shared key of jobs without one.</summary>
    internal string? Key { get; set; }

    /// <summary>Jobs of this key queued in the ordered lane, every level together.</summary>
    internal int Queued { get; set; }

    internal KeyLane LaneAt(int level) => _lanes[level] ??= new KeyLane(this, level);
}
