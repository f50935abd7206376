using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using TaskPool.Internal;

namespace TaskPool;

public sealed partial class WorkerPool
{
    private ValueTask<TResult> Submit<TResult>(WorkItem<TResult> item, long timeoutTicks, CancellationToken cancellationToken)
        => Submit(item, timeoutTicks, JobPriority.Normal, fairnessKey: null, cancellationToken);

    private ValueTask<TResult> Submit<TResult>(WorkItem<TResult> item, long timeoutTicks, JobPriority priority, string? fairnessKey, CancellationToken cancellationToken)
    {
        Admission admission = Admit(item, timeoutTicks, priority, fairnessKey, cancellationToken);
        if (admission == Admission.Enqueued)
        {
            return new ValueTask<TResult>(item, item.Version);
        }

        if (admission is (Admission.QueueFull or Admission.KeyFull) && !_rejectWhenFull)
        {
            return SubmitWhenSpaceAsync(item);
        }

        TakeBackOrThrow(item, admission);
        return new ValueTask<TResult>(item, item.Version); // the caller's token canceled it meanwhile: the await reports that
    }

    private ValueTask SubmitVoid(WorkItem<VoidResult> item, long timeoutTicks, CancellationToken cancellationToken)
        => SubmitVoid(item, timeoutTicks, JobPriority.Normal, fairnessKey: null, cancellationToken);

    private ValueTask SubmitVoid(WorkItem<VoidResult> item, long timeoutTicks, JobPriority priority, string? fairnessKey, CancellationToken cancellationToken)
    {
        Admission admission = Admit(item, timeoutTicks, priority, fairnessKey, cancellationToken);
        if (admission == Admission.Enqueued)
        {
            return new ValueTask(item, item.Version);
        }

        if (admission is (Admission.QueueFull or Admission.KeyFull) && !_rejectWhenFull)
        {
            return SubmitVoidWhenSpaceAsync(item);
        }

        TakeBackOrThrow(item, admission);
        return new ValueTask(item, item.Version);
    }

    /// <summary>Arms the item and tries to queue it without waiting.</summary>
    private Admission Admit(WorkItem item, long timeoutTicks, JobPriority priority, string? fairnessKey, CancellationToken cancellationToken)
    {
        _counters.OnSubmitted(); // before the token is registered: its callback may count the job as canceled at once
        bool traced = PoolTracing.IsEnabled;
        item.Prepare(
            _queue,
            _counters,
            _flowExecutionContext ? ExecutionContext.Capture() : null,
            traced || _metrics.MeasuresWait ? Stopwatch.GetTimestamp() : 0,
            traced,
            timeoutTicks,
            priority,
            fairnessKey,
            cancellationToken);
        return _queue.TryEnqueue(item);
    }

    /// <summary>Takes back an item that was not queued and throws why; returns only when the caller's token canceled it first.</summary>
    private void TakeBackOrThrow(WorkItem item, Admission admission)
    {
        Debug.Assert(admission != Admission.Enqueued);
        string? fairnessKey = item.FairnessKey; // read before the take-back recycles the item
        if (TryTakeBack(item, admission))
        {
            if (admission == Admission.Closed)
            {
                ThrowClosed();
            }

            if (admission == Admission.KeyFull)
            {
                ThrowKeySaturated(fairnessKey!);
            }

            ThrowSaturated();
        }
    }

    /// <summary>
    /// Takes back an item that never entered the queue and counts it as refused (not when the refusal is <see cref="Admission.Closed"/>);
    /// false when the caller's token canceled it first
    /// (its await then reports the cancellation, and it counts as canceled).
    /// </summary>
    private bool TryTakeBack(WorkItem item, Admission refusal)
    {
        Debug.Assert(refusal != Admission.Enqueued);
        string? fairnessKey = item.FairnessKey;
        if (!item.TryAbandon())
        {
            item.ReleaseHold(WorkItem.HeldByQueue);
            return false;
        }

        _counters.OnSubmitWithdrawn(); // it was counted when admitted; a refused job is not a submitted one
        if (refusal == Admission.QueueFull)
        {
            _counters.OnRejected();
            _log.Saturated(_name, _queue.Capacity);
        }
        else if (refusal == Admission.KeyFull)
        {
            _counters.OnRejected();
            _log.KeyLimitReached(_name, fairnessKey!, _maxQueuedPerKey); // one key over its share: the queue itself may have room
        }

        item.ReleaseHold(WorkItem.HeldByCaller | WorkItem.HeldByQueue);
        return true;
    }

    private async ValueTask<TResult> SubmitWhenSpaceAsync<TResult>(WorkItem<TResult> item)
    {
        await WaitForSpaceAsync(item).ConfigureAwait(false);
        return await new ValueTask<TResult>(item, item.Version).ConfigureAwait(false);
    }

    private async ValueTask SubmitVoidWhenSpaceAsync(WorkItem<VoidResult> item)
    {
        await WaitForSpaceAsync(item).ConfigureAwait(false);
        await new ValueTask(item, item.Version).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for a queue slot (the Wait mode's backpressure), behind the producers already waiting. Returns when the item is queued, or
    /// when the caller's token completed it as canceled; throws when the pool closed first.
    /// </summary>
    private async ValueTask WaitForSpaceAsync(WorkItem item)
    {
        // Resumed on the ThreadPool (RunContinuationsAsynchronously), never on the worker that freed the slot.
        WaitOutcome outcome = await _queue.EnqueueWhenSpaceAsync(item).ConfigureAwait(false);
        if (outcome == WaitOutcome.Enqueued)
        {
            return;
        }

        if (!item.TryAbandon())
        {
            // The caller's token canceled the item while it waited, and completed and counted it: the await of the item reports that.
            item.ReleaseHold(WorkItem.HeldByQueue);
            return;
        }

        Debug.Assert(outcome == WaitOutcome.Closed);
        _counters.OnSubmitWithdrawn(); // refused at shutdown: never accepted
        item.ReleaseHold(WorkItem.HeldByCaller | WorkItem.HeldByQueue);
        ThrowClosed();
    }

    private ValueTask<TResult> CanceledAtSubmit<TResult>(CancellationToken cancellationToken)
    {
        _counters.OnSubmitted(); // before the outcome, as everywhere
        _counters.OnCanceledOutsideWorkers();
        return ValueTask.FromCanceled<TResult>(cancellationToken);
    }

    private void ThrowIfClosing()
    {
        if (IsShutdownRequested)
        {
            ThrowClosed();
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowClosed()
        => throw new ObjectDisposedException(nameof(WorkerPool), $"WorkerPool '{_name}' is shutting down and accepts no more jobs.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowSaturated() => throw new WorkerPoolSaturatedException(_name, _queue.Capacity);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowKeySaturated(string fairnessKey) => throw new WorkerPoolSaturatedException(_name, _queue.Capacity, fairnessKey, _maxQueuedPerKey);
}
