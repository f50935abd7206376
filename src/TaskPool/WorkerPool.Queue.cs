using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using TaskPool.Internal;

namespace TaskPool;

public sealed partial class WorkerPool
{
    internal bool IsForceCanceling => Volatile.Read(ref _forceCanceling) != 0;

    /// <summary>True once the queue is closed and empty: a worker that finds nothing to do may exit.</summary>
    internal bool IsDrained => _queue.Reader.Completion.IsCompleted;

    /// <summary>A cheap hint for spinning workers: something was queued, or the pool is closing.</summary>
    internal bool MayHaveWork => Volatile.Read(ref _queueDepth) > 0 || Volatile.Read(ref _closing) != 0;

    internal ParkingLot ParkingLot => _parkingLot;

    /// <summary>Workers that announced parking and were not claimed yet: asleep, or about to sleep. Exact at rest.</summary>
    internal int ParkedWorkers => _parkingLot.ParkedCount;

    internal bool TryDequeue([NotNullWhen(true)] out WorkItem? item)
    {
        if (_queue.Reader.TryRead(out item))
        {
            Interlocked.Decrement(ref _queueDepth); // may go briefly negative when we beat the producer's increment; readers clamp
            SchedulePoint.Reach("WorkerPool.Dequeued");
            return true;
        }

        return false;
    }

    /// <summary>
    /// Called by a worker that just took a job: if more jobs wait and no worker spins, wake a parked one, so that all workers join in
    /// on a burst even though producers leave the wake-up to a spinner when there is one.
    /// </summary>
    internal void WakeHelperIfWorkRemains()
    {
        if (Volatile.Read(ref _queueDepth) > 0 && !_parkingLot.IsSpinning)
        {
            _parkingLot.WakeOne();
        }
    }

    /// <summary>Counts a job that the caller's token canceled while it was queued.</summary>
    internal void OnCanceledBeforeStart()
    {
        Interlocked.Increment(ref _canceledOutsideWorkers); // several cancellation callbacks may count at once
        _metrics.OnJobFinished(JobOutcome.Canceled, startTimestamp: 0);
    }

    private ValueTask<TResult> Submit<TResult>(WorkItem<TResult> item, long timeoutTicks, CancellationToken cancellationToken)
    {
        Admission admission = Admit(item, timeoutTicks, cancellationToken);
        if (admission == Admission.Enqueued)
        {
            return new ValueTask<TResult>(item, item.Version);
        }

        if (admission == Admission.QueueFull && !_rejectWhenFull)
        {
            return SubmitWhenSpaceAsync(item, cancellationToken);
        }

        TakeBackOrThrow(item, admission);
        return new ValueTask<TResult>(item, item.Version); // the caller's token canceled it meanwhile: the await reports that
    }

    private ValueTask SubmitVoid(WorkItem<VoidResult> item, long timeoutTicks, CancellationToken cancellationToken)
    {
        Admission admission = Admit(item, timeoutTicks, cancellationToken);
        if (admission == Admission.Enqueued)
        {
            return new ValueTask(item, item.Version);
        }

        if (admission == Admission.QueueFull && !_rejectWhenFull)
        {
            return SubmitVoidWhenSpaceAsync(item, cancellationToken);
        }

        TakeBackOrThrow(item, admission);
        return new ValueTask(item, item.Version);
    }

    /// <summary>Arms the item and tries to queue it without waiting.</summary>
    private Admission Admit(WorkItem item, long timeoutTicks, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _submitted); // before the token is registered: its callback may count the job as canceled at once
        bool traced = PoolTracing.IsEnabled;
        item.Prepare(
            this,
            _flowExecutionContext ? ExecutionContext.Capture() : null,
            traced || _metrics.MeasuresWait ? Stopwatch.GetTimestamp() : 0,
            traced,
            timeoutTicks,
            cancellationToken);

        if (_queue.Writer.TryWrite(item))
        {
            OnEnqueued();
            return Admission.Enqueued;
        }

        return IsShutdownRequested ? Admission.Closed : Admission.QueueFull;
    }

    /// <summary>Takes back an item that was not queued and throws why; returns only when the caller's token canceled it first.</summary>
    private void TakeBackOrThrow(WorkItem item, Admission admission)
    {
        Debug.Assert(admission != Admission.Enqueued);
        if (TryTakeBack(item, countAsRejected: admission == Admission.QueueFull))
        {
            if (admission == Admission.Closed)
            {
                ThrowClosed();
            }

            ThrowSaturated();
        }
    }

    /// <summary>
    /// Takes back an item that never entered the queue and recycles it; false when the caller's token already completed it as canceled
    /// (then only the queue's hold is dropped, and the caller's await reports the cancellation).
    /// </summary>
    private bool TryTakeBack(WorkItem item, bool countAsRejected)
    {
        if (!item.TryAbandon())
        {
            item.ReleaseHold(WorkItem.HeldByQueue);
            return false;
        }

        Interlocked.Decrement(ref _submitted); // it was counted when admitted; a refused job is not a submitted one
        if (countAsRejected)
        {
            Interlocked.Increment(ref _rejected); // many submitters may be refused at once
            _metrics.OnRejected();
            _log.Saturated(_name, _queueCapacity);
        }

        item.ReleaseHold(WorkItem.HeldByCaller | WorkItem.HeldByQueue);
        return true;
    }

    private async ValueTask<TResult> SubmitWhenSpaceAsync<TResult>(WorkItem<TResult> item, CancellationToken cancellationToken)
    {
        await WriteWhenSpaceAsync(item, cancellationToken).ConfigureAwait(false);
        return await new ValueTask<TResult>(item, item.Version).ConfigureAwait(false);
    }

    private async ValueTask SubmitVoidWhenSpaceAsync(WorkItem<VoidResult> item, CancellationToken cancellationToken)
    {
        await WriteWhenSpaceAsync(item, cancellationToken).ConfigureAwait(false);
        await new ValueTask(item, item.Version).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for a queue slot (the Wait mode's backpressure). Returns when the item is queued, or when the caller's token completed it
    /// as canceled; throws when the pool closed or the token fired before the item could be taken back.
    /// </summary>
    private async ValueTask WriteWhenSpaceAsync(WorkItem item, CancellationToken cancellationToken)
    {
        try
        {
            // The channel resumes us on the ThreadPool (AllowSynchronousContinuations is off), never on the worker that made room.
            await _queue.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ChannelClosedException or OperationCanceledException)
        {
            bool closed = exception is ChannelClosedException;
            if (!item.TryAbandon())
            {
                item.ReleaseHold(WorkItem.HeldByQueue);
                return;
            }

            if (closed)
            {
                Interlocked.Decrement(ref _submitted); // refused at shutdown: never accepted
            }
            else
            {
                Interlocked.Increment(ref _canceledOutsideWorkers); // canceled while waiting for space: an accepted job that ends canceled
                _metrics.OnJobFinished(JobOutcome.Canceled, startTimestamp: 0);
            }

            item.ReleaseHold(WorkItem.HeldByCaller | WorkItem.HeldByQueue);
            if (closed)
            {
                ThrowClosed();
            }

            throw new OperationCanceledException(cancellationToken);
        }

        OnEnqueued();
    }

    private void OnEnqueued()
    {
        Interlocked.Increment(ref _queueDepth); // full fence: the item is in the queue before we look for a spinner or a parked worker (pairs with StopSpinning and Announce)
        SchedulePoint.Reach("WorkerPool.Enqueued");
        if (!_parkingLot.IsSpinning)
        {
            _parkingLot.WakeOne(); // a spinning worker would take the item without a wake-up; it wakes helpers if more follow
        }
    }

    private ValueTask<TResult> CanceledAtSubmit<TResult>(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _submitted); // before the outcome, as everywhere
        Interlocked.Increment(ref _canceledOutsideWorkers); // other submitters and callbacks count concurrently
        _metrics.OnJobFinished(JobOutcome.Canceled, startTimestamp: 0);
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
    private void ThrowSaturated() => throw new WorkerPoolSaturatedException(_name, _queueCapacity);
}
