using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace TaskPool.Internal;

/// <summary>
/// The shared state of one <see cref="WorkerPool.RunManyAsync{TSource, TResult}(IEnumerable{TSource}, Func{TSource, CancellationToken, TResult}, RunManyOptions?, CancellationToken)"/>
/// call: the token every job of the batch gets (linked to the caller's), and, when the batch cancels on its first failure, that failure.
/// </summary>
[DebuggerDisplay("Canceled = {Token.IsCancellationRequested}, Failed = {_firstFailure is not null}")]
internal sealed class RunManyBatch(CancellationToken callerToken, bool cancelOnFirstFailure) : IDisposable
{
    private readonly CancellationTokenSource _cancellation = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
    private ExceptionDispatchInfo? _firstFailure;

    internal CancellationToken Token => _cancellation.Token;

    /// <summary>
    /// Called on a worker when a job of the batch throws: with <c>cancelOnFirstFailure</c>, the first real failure (not a cancellation the
    /// batch caused) is kept and every other job canceled. Always returns false, so that it can run as an exception filter.
    /// </summary>
    internal bool RecordFailure(Exception exception)
    {
        if (!cancelOnFirstFailure || (exception is OperationCanceledException && _cancellation.IsCancellationRequested))
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref _firstFailure, ExceptionDispatchInfo.Capture(exception), null) is null) // the first failure wins, once
        {
            Cancel();
        }

        return false;
    }

    /// <summary>Throws the batch's first failure, if one was recorded and it is not <paramref name="observed"/>; otherwise returns.</summary>
    internal void ThrowFirstFailureOr(Exception observed)
    {
        ExceptionDispatchInfo? first = Volatile.Read(ref _firstFailure); // published by the compare-exchange in RecordFailure
        if (first is not null && !ReferenceEquals(first.SourceException, observed))
        {
            first.Throw();
        }
    }

    /// <summary>Once the batch is canceled: throws its first failure, or the caller's cancellation.</summary>
    internal void ThrowIfStopped()
    {
        if (!_cancellation.IsCancellationRequested)
        {
            return;
        }

        Volatile.Read(ref _firstFailure)?.Throw(); // published by the compare-exchange in RecordFailure
        callerToken.ThrowIfCancellationRequested();
        throw new OperationCanceledException(_cancellation.Token);
    }

    internal void Cancel()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (AggregateException)
        {
            // A callback registered on a job's token threw; the pool logs those where it can. The batch is canceled either way.
        }
    }

    public void Dispose() => _cancellation.Dispose();
}
