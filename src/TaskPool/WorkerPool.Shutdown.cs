using TaskPool.Internal;

namespace TaskPool;

public sealed partial class WorkerPool
{
    private static readonly Action<object?> s_forceCancel = static state => ((WorkerPool)state!).ForceCancel();

    /// <summary>
    /// Shuts the pool down gracefully: from this call on, submitting throws <see cref="ObjectDisposedException"/> (and callers waiting for
    /// queue space get it too); every job already queued still runs, running jobs finish, then every worker thread exits and is joined.
    /// No accepted job is lost or left unresolved. Idempotent, and safe to call concurrently.
    /// </summary>
    /// <param name="cancellationToken">
    /// When canceled, the shutdown is forced: jobs still queued complete as canceled without running, and running jobs see their token canceled.
    /// The returned task still completes only after every thread exited (a job that ignores its token keeps its thread until it returns).
    /// </param>
    /// <returns>A task that completes when every worker thread has exited.</returns>
    public Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        BeginShutdown();
        return WaitForShutdownAsync(cancellationToken);
    }

    /// <summary>Same as <see cref="ShutdownAsync(CancellationToken)"/> with no deadline.</summary>
    public ValueTask DisposeAsync() => new(ShutdownAsync());

    /// <summary>Shuts the pool down gracefully and blocks until every worker thread has exited.</summary>
    /// <exception cref="InvalidOperationException">Called from one of this pool's jobs: the job would wait for itself.</exception>
    public void Dispose()
    {
        if (ReferenceEquals(Worker.Current?.Pool, this))
        {
            throw new InvalidOperationException($"A job cannot dispose WorkerPool '{_name}' that runs it: it would wait for itself. Use ShutdownAsync without waiting.");
        }

        BeginShutdown();
        foreach (Worker worker in _workers)
        {
            worker.Thread.Join();
        }
    }

    /// <summary>Called by each worker thread as it exits; the last one completes the shutdown.</summary>
    internal void OnWorkerExited()
    {
        if (Interlocked.Decrement(ref _liveWorkers) == 0) // exactly one worker sees zero
        {
            // The parking lot is not disposed: a late producer or BeginShutdown may still release it. It holds no kernel handle.
            _metrics.Dispose();
            _workersExited.TrySetResult();
        }
    }

    /// <summary>The cancellation given to jobs drained, unrun, by a forced shutdown.</summary>
    internal OperationCanceledException CreateShutdownCancellation()
        => new($"WorkerPool '{_name}' was shut down before the job started.");

    private void BeginShutdown()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) // the first caller closes; the others only wait
        {
            return;
        }

        _queue.Writer.TryComplete();
        _parkingLot.Release(_workers.Length); // every parked worker wakes, drains what is left and exits
    }

    private async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        // Runs the callback inline when the token is already canceled.
        using (cancellationToken.UnsafeRegister(s_forceCancel, this))
        {
            await _workersExited.Task.ConfigureAwait(false);
        }

        foreach (Worker worker in _workers)
        {
            worker.Thread.Join(); // every worker has left its loop: this returns at once, and no pool thread outlives the returned task
        }
    }

    private void ForceCancel()
    {
        if (Interlocked.Exchange(ref _forceCanceling, 1) != 0) // full fence: workers that start a job after this see the flag; pairs with Worker.ReplaceCanceledJobToken
        {
            return;
        }

        foreach (Worker worker in _workers)
        {
            worker.CancelRunningJob();
        }
    }
}
