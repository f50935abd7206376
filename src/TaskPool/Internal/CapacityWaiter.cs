using System.Diagnostics;

namespace TaskPool.Internal;

/// <summary>
/// A producer waiting for queue space with its item (Wait mode), or a caller of <see cref="WorkerPool.WaitForCapacityAsync"/> waiting
/// for room without an item: a node of <see cref="CapacityWaiters"/>' list.
/// </summary>
[DebuggerDisplay("InList = {InList}, Outcome = {Task.Status}")]
internal sealed class CapacityWaiter(WorkItem? item)
{
    private readonly TaskCompletionSource<WaitOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The job to queue; null for a caller that only waits for room.</summary>
    internal WorkItem? Item { get; } = item;

    /// <summary>Completes when the item is queued (or, without an item, when there is room), refused by a shutdown, or canceled while it waited.</summary>
    internal Task<WaitOutcome> Task => _completion.Task;

    // Guarded by the lock of the CapacityWaiters list that holds the node.
    internal CapacityWaiter? Previous { get; set; }

    internal CapacityWaiter? Next { get; set; }

    internal bool InList { get; set; }

    /// <summary>Called once, by whoever took the node out of the list.</summary>
    internal void Complete(WaitOutcome outcome)
    {
        Debug.Assert(!InList);
        bool completed = _completion.TrySetResult(outcome);
        Debug.Assert(completed, "A waiter is completed only by the party that unlinked it.");
    }
}
