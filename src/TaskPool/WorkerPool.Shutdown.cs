using TaskPool.Internal;

namespace TaskPool;

public sealed partial class WorkerPool
{
    private static readonly Action<object?> s_forceCancel = static state => ((WorkerPool)state!).ForceCancel();

    /// <summary>
    /// True from the moment <see cref="ShutdownAsync(CancellationToken)"/>, <see cref="DisposeAsync"/> or <see cref="Dispose"/> is first
    /// called: the pool accepts no new job (submitting throws <see cref="ObjectDisposedException"/>), while queued and running jobs may
    /// still be finishing. Never goes back to false. Lets a caller refuse work early (a server: answer 503 before reading a request body).
    /// </summary>
    public bool IsShutdownRequested => _queue.IsClosed;

    /// <summary>
    /// Shuts the pool down gracefully: from this call on, submitting throws <see cref="ObjectDisposedException"/> (and callers waiting for
    /// queue space get it too); every job already queued still runs, running jobs finish, then every worker thread exits and is joined.
    /// No accepted job is lost or left unresolved. Idempotent, and safe to call concurrently.
    /// </summary>
    /// <param name="cancellationToken">
    /// When canceled, the shutdown is forced: jobs still queued complete as canceled without running, and running jobs see their token canceled.
    /// A running job that ignores its token for longer than <see cref="WorkerPoolOptions.StuckJobGracePeriod"/> has its worker declared stuck:
    /// the returned task then completes without waiting for that thread, which is reported in the log and in <see cref="WorkerPoolStats.StuckWorkers"/>.
    /// </param>
    /// <returns>A task that completes when every worker thread that is not stuck has exited.</returns>
    public Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        BeginShutdown();
        return WaitForShutdownAsync(cancellationToken);
    }

    /// <summary>Same as <see cref="ShutdownAsync(CancellationToken)"/> with no deadline.</summary>
    public ValueTask DisposeAsync() => new(ShutdownAsync());

    /// <summary>Shuts the pool down gracefully and blocks until every worker thread that is not stuck has exited.</summary>
    /// <exception cref="InvalidOperationException">Called from one of this pool's jobs: the job would wait for itself.</exception>
    public void Dispose()
    {
        if (ReferenceEquals(Worker.Current?.Queue, _queue))
        {
            throw new InvalidOperationException($"A job cannot dispose WorkerPool '{_name}' that runs it: it would wait for itself. Use ShutdownAsync without waiting.");
        }

        BeginShutdown();
        _workersExited.Task.GetAwaiter().GetResult();
        _roster.JoinExited();
    }

    private void BeginShutdown()
    {
        if (!_queue.Close()) // refuses new jobs and waiting producers, then wakes every parked worker to drain what is queued
        {
            return; // another caller began the shutdown
        }

        _roster.BeginShutdown(); // completes at once if every worker is stuck already
    }

    private async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        // Runs the callback inline when the token is already canceled.
        using (cancellationToken.UnsafeRegister(s_forceCancel, this))
        {
            await _workersExited.Task.ConfigureAwait(false);
        }

        _roster.JoinExited();
    }

    private void ForceCancel()
    {
        if (!_shutdown.TryForce()) // the first forcing caller acts; workers that start a job after this cancel it instead
        {
            return;
        }

        _roster.CancelRunningJobs();

        // Queued jobs complete as canceled now, not when a worker gets to them: every worker may be busy with a job that ignores its token.
        CancelQueuedJobs();

        // Running jobs that ignore their token get StuckJobGracePeriod, then the shutdown stops waiting for their threads.
        _deadlines.Poke();
    }

    /// <summary>
    /// Runs once, when the last worker the shutdown waits for is gone. Jobs still queued (possible only when every worker is stuck)
    /// complete as canceled, so that no caller waits forever.
    /// </summary>
    private void CompleteShutdown()
    {
        CancelQueuedJobs();
        _deadlines.Stop();
        int stuck = _roster.StuckCount;
        if (stuck > 0)
        {
            _log.ShutdownLeftStuckWorkers(_name, stuck);
        }

        _metrics.Dispose();
        _workersExited.TrySetResult();
    }

    /// <summary>Completes every job still queued as canceled, without running it. Workers may drain concurrently: each item is taken once.</summary>
    private void CancelQueuedJobs()
    {
        while (_queue.TryDequeue(0, out _) is { } item)
        {
            if (item.TryCancel(_shutdown.CreateCancellation()))
            {
                _counters.OnCanceledOutsideWorkers();
            }

            item.ReleaseHold(WorkItem.HeldByQueue);
        }
    }
}
