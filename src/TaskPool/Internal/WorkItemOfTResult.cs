using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace TaskPool.Internal;

/// <summary>A work item whose result is a <typeparamref name="TResult"/>: it is the <see cref="IValueTaskSource{TResult}"/> behind the caller's ValueTask.</summary>
internal abstract class WorkItem<TResult> : WorkItem, IValueTaskSource<TResult>, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<TResult> _core = new() { RunContinuationsAsynchronously = true };
    private TResult? _pendingResult;
    private Exception? _pendingError;

    /// <summary>The version the caller's ValueTask must carry.</summary>
    internal short Version => _core.Version;

    /// <inheritdoc />
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc />
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    /// <inheritdoc />
    public TResult GetResult(short token)
    {
        // Validate before touching the holds: a stale or premature GetResult must not release the caller's hold.
        if (_core.GetStatus(token) == ValueTaskSourceStatus.Pending)
        {
            ThrowNotCompleted();
        }

        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            ReleaseHold(HeldByCaller);
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    internal sealed override JobOutcome Run(CancellationToken jobToken)
    {
        try
        {
            _pendingResult = Invoke(jobToken);
            return JobOutcome.Completed;
        }
        catch (OperationCanceledException exception) when (jobToken.IsCancellationRequested)
        {
            // Attribute the cancellation to the caller's own token when that is what fired, as Task.Run does.
            CancellationToken callerToken = CallerToken;
            _pendingError = callerToken.IsCancellationRequested && exception.CancellationToken != callerToken
                ? new OperationCanceledException(exception.Message, exception, callerToken)
                : exception;
            return JobOutcome.Canceled;
        }
        catch (Exception exception)
        {
            _pendingError = exception;
            return JobOutcome.Faulted;
        }
    }

    internal sealed override Exception? PendingError => _pendingError;

    internal sealed override void Complete()
    {
        Exception? error = _pendingError;
        if (error is null)
        {
            TResult result = _pendingResult!;
            _pendingResult = default;
            _core.SetResult(result);
        }
        else
        {
            _pendingError = null;
            _core.SetException(error);
        }
    }

    /// <summary>Runs the user's delegate.</summary>
    protected abstract TResult Invoke(CancellationToken cancellationToken);

    internal sealed override void DiscardResult()
    {
        TResult? result = _pendingResult;
        _pendingResult = default;
        _pendingError = null;
        (result as IDisposable)?.Dispose();
    }

    protected sealed override void SetFailed(Exception reason) => _core.SetException(reason);

    protected sealed override void ResetAndReturnToPool()
    {
        Debug.Assert(_pendingError is null);
        _core.Reset();
        ReturnToPool();
    }

    /// <summary>Returns this instance to the object pool of its concrete type.</summary>
    protected abstract void ReturnToPool();

    private static void ThrowNotCompleted()
        => throw new InvalidOperationException("The job has not completed yet, or this ValueTask was already awaited: a ValueTask may be awaited only once.");
}
