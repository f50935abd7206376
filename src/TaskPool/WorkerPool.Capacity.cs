using TaskPool.Internal;

namespace TaskPool;

public sealed partial class WorkerPool
{
    /// <summary>
    /// Completes when the queue has room for a job: a producer's backpressure without submitting (like Piscina's <c>needsDrain</c> and
    /// <c>drain</c>). It waits behind producers already waiting for space, and does not reserve the room: a job submitted afterwards may
    /// still have to wait, or be refused in <see cref="QueueFullMode.Reject"/> mode, if others took the room first.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ObjectDisposedException">The pool is shutting down (thrown, or the returned task faults with it).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled first.</exception>
    public ValueTask WaitForCapacityAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosing();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        return _queue.MustWait ? new ValueTask(WaitForCapacityCoreAsync(cancellationToken)) : ValueTask.CompletedTask;
    }

    /// <summary>
    /// Cancels every job that has not started: those queued and those whose producers wait for queue space. Their awaits complete with
    /// <see cref="OperationCanceledException"/> and they count as canceled; running jobs are not touched. Like tinypool's
    /// <c>cancelPendingTasks</c> or the queue drain of Java's <c>shutdownNow</c>, but the pool keeps accepting jobs.
    /// </summary>
    /// <returns>How many jobs this call canceled.</returns>
    public int CancelQueued()
    {
        int canceled = 0;
        foreach (CapacityWaiter waiter in _queue.TakeWaitingProducers())
        {
            if (waiter.Item!.TryCancel(new OperationCanceledException($"The job was canceled by WorkerPool '{_name}'.CancelQueued() while it waited for queue space.")))
            {
                _counters.OnCanceledOutsideWorkers();
                canceled++;
            }

            waiter.Complete(WaitOutcome.Canceled); // its producer lets go of the item
        }

        foreach (WorkItem item in _queue.TakeAll())
        {
            if (item.TryCancel(new OperationCanceledException($"The job was canceled by WorkerPool '{_name}'.CancelQueued() before it started.")))
            {
                _counters.OnCanceledOutsideWorkers();
                canceled++;
            }

            item.ReleaseHold(WorkItem.HeldByQueue);
        }

        return canceled;
    }

    private async Task WaitForCapacityCoreAsync(CancellationToken cancellationToken)
    {
        CapacityWaiter watcher = _queue.WatchCapacity();
        WaitOutcome outcome;
        using (cancellationToken.UnsafeRegister(static state => { var (queue, watcher) = ((JobQueue, CapacityWaiter))state!; queue.CancelWatch(watcher); }, (_queue, watcher)))
        {
            outcome = await watcher.Task.ConfigureAwait(false);
        }

        if (outcome == WaitOutcome.Closed)
        {
            ThrowClosed();
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (outcome == WaitOutcome.Canceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
