using System.Diagnostics;
using TaskPool.Internal;

namespace TaskPool;

public sealed partial class WorkerPool
{
    /// <summary>
    /// Queues <paramref name="work"/> to run on a worker thread with <paramref name="state"/>, and returns its result.
    /// Pass a static lambda and put what it needs into <paramref name="state"/> (a struct or tuple): then nothing is allocated per job.
    /// </summary>
    /// <typeparam name="TState">What the job needs; passed as is, never boxed.</typeparam>
    /// <typeparam name="TResult">What the job returns.</typeparam>
    /// <param name="state">The job's input.</param>
    /// <param name="work">The job. It receives a token that is canceled when <paramref name="cancellationToken"/> is canceled while it runs, or when a shutdown is forced.</param>
    /// <param name="cancellationToken">Canceled before the job starts, the await completes at once with <see cref="OperationCanceledException"/> and the job never runs.</param>
    /// <returns>
    /// A ValueTask with the job's value, or the job's exception unchanged; a job that throws <see cref="OperationCanceledException"/> after its
    /// token was canceled completes it as canceled. Await it once.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down or shut down.</exception>
    /// <exception cref="WorkerPoolSaturatedException">The queue is full and the pool's mode is <see cref="QueueFullMode.Reject"/>. (In <see cref="QueueFullMode.Wait"/> mode the returned ValueTask waits for space.)</exception>
    public ValueTask<TResult> RunAsync<TState, TResult>(TState state, Func<TState, CancellationToken, TResult> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ThrowIfClosing();
        if (cancellationToken.IsCancellationRequested)
        {
            return CanceledAtSubmit<TResult>(cancellationToken);
        }

        return Submit(FuncWorkItem<TState, TResult>.Rent(state, work), _defaultTimeoutTicks, cancellationToken);
    }

    /// <summary>Queues <paramref name="work"/> to run on a worker thread and returns its result. Same contract as <see cref="RunAsync{TState, TResult}(TState, Func{TState, CancellationToken, TResult}, CancellationToken)"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down or shut down.</exception>
    /// <exception cref="WorkerPoolSaturatedException">The queue is full and the pool's mode is <see cref="QueueFullMode.Reject"/>.</exception>
    public ValueTask<TResult> RunAsync<TResult>(Func<CancellationToken, TResult> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ThrowIfClosing();
        if (cancellationToken.IsCancellationRequested)
        {
            return CanceledAtSubmit<TResult>(cancellationToken);
        }

        return Submit(FuncWorkItem<Func<CancellationToken, TResult>, TResult>.Rent(work, static (w, token) => w(token)), _defaultTimeoutTicks, cancellationToken);
    }

    /// <summary>Queues <paramref name="work"/> to run on a worker thread with <paramref name="state"/>. Same contract as <see cref="RunAsync{TState, TResult}(TState, Func{TState, CancellationToken, TResult}, CancellationToken)"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down or shut down.</exception>
    /// <exception cref="WorkerPoolSaturatedException">The queue is full and the pool's mode is <see cref="QueueFullMode.Reject"/>.</exception>
    public ValueTask RunAsync<TState>(TState state, Action<TState, CancellationToken> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ThrowIfClosing();
        if (cancellationToken.IsCancellationRequested)
        {
            return new ValueTask(CanceledAtSubmit<VoidResult>(cancellationToken).AsTask());
        }

        return SubmitVoid(ActionWorkItem<TState>.Rent(state, work), _defaultTimeoutTicks, cancellationToken);
    }

    /// <summary>Queues <paramref name="work"/> to run on a worker thread. Same contract as <see cref="RunAsync{TState, TResult}(TState, Func{TState, CancellationToken, TResult}, CancellationToken)"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down or shut down.</exception>
    /// <exception cref="WorkerPoolSaturatedException">The queue is full and the pool's mode is <see cref="QueueFullMode.Reject"/>.</exception>
    public ValueTask RunAsync(Action<CancellationToken> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ThrowIfClosing();
        if (cancellationToken.IsCancellationRequested)
        {
            return new ValueTask(CanceledAtSubmit<VoidResult>(cancellationToken).AsTask());
        }

        return SubmitVoid(ActionWorkItem<Action<CancellationToken>>.Rent(work, static (w, token) => w(token)), _defaultTimeoutTicks, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="RunAsync{TState, TResult}(TState, Func{TState, CancellationToken, TResult}, CancellationToken)"/>, with a run-time limit
    /// for this job that overrides <see cref="WorkerPoolOptions.JobTimeout"/>. Past it, the await completes at once with <see cref="WorkerPoolJobTimeoutException"/> (a <see cref="TimeoutException"/>)
    /// and the job's token is canceled; a result that arrives later is discarded (disposed if it is <see cref="IDisposable"/>).
    /// </summary>
    /// <param name="state">The job's input.</param>
    /// <param name="work">The job.</param>
    /// <param name="timeout">How long the job may run once started; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">As in the overload without a timeout.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is zero, negative (other than infinite) or above <see cref="WorkerPoolOptions.MaxJobTimeout"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down or shut down.</exception>
    /// <exception cref="WorkerPoolSaturatedException">The queue is full and the pool's mode is <see cref="QueueFullMode.Reject"/>.</exception>
    public ValueTask<TResult> RunAsync<TState, TResult>(TState state, Func<TState, CancellationToken, TResult> work, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        long timeoutTicks = ToTimeoutTicks(timeout);
        ThrowIfClosing();
        if (cancellationToken.IsCancellationRequested)
        {
            return CanceledAtSubmit<TResult>(cancellationToken);
        }

        return Submit(FuncWorkItem<TState, TResult>.Rent(state, work), timeoutTicks, cancellationToken);
    }

    /// <summary>Like <see cref="RunAsync{TState}(TState, Action{TState, CancellationToken}, CancellationToken)"/>, with a run-time limit for this job (see the timeout overload of <c>RunAsync&lt;TState, TResult&gt;</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is zero, negative (other than infinite) or above <see cref="WorkerPoolOptions.MaxJobTimeout"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down or shut down.</exception>
    /// <exception cref="WorkerPoolSaturatedException">The queue is full and the pool's mode is <see cref="QueueFullMode.Reject"/>.</exception>
    public ValueTask RunAsync<TState>(TState state, Action<TState, CancellationToken> work, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        long timeoutTicks = ToTimeoutTicks(timeout);
        ThrowIfClosing();
        if (cancellationToken.IsCancellationRequested)
        {
            return new ValueTask(CanceledAtSubmit<VoidResult>(cancellationToken).AsTask());
        }

        return SubmitVoid(ActionWorkItem<TState>.Rent(state, work), timeoutTicks, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="RunAsync{TState, TResult}(TState, Func{TState, CancellationToken, TResult}, CancellationToken)"/>, with per-job
    /// settings: a <see cref="JobPriority"/>, a fairness key, and a run-time limit that overrides <see cref="WorkerPoolOptions.JobTimeout"/>.
    /// </summary>
    /// <param name="state">The job's input.</param>
    /// <param name="work">The job.</param>
    /// <param name="options">The job's priority, fairness key and timeout; <c>default</c> behaves as the overload without options.</param>
    /// <param name="cancellationToken">As in the overload without options.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="options"/> has a <see cref="JobOptions.Priority"/> that is not defined, or a <see cref="JobOptions.Timeout"/> that is
    /// zero, negative (other than infinite) or above <see cref="WorkerPoolOptions.MaxJobTimeout"/>.
    /// </exception>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down or shut down.</exception>
    /// <exception cref="WorkerPoolSaturatedException">
    /// The pool's mode is <see cref="QueueFullMode.Reject"/> and the queue is full, or the job's key already has
    /// <see cref="WorkerPoolOptions.MaxQueuedPerKey"/> jobs queued. (In <see cref="QueueFullMode.Wait"/> mode the returned ValueTask waits.)
    /// </exception>
#pragma warning disable RS0026 // the options overloads differ from the others by a required JobOptions parameter: no call is ambiguous
    public ValueTask<TResult> RunAsync<TState, TResult>(TState state, Func<TState, CancellationToken, TResult> work, JobOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        long timeoutTicks = ToTimeoutTicks(options);
        ThrowIfClosing();
        if (cancellationToken.IsCancellationRequested)
        {
            return CanceledAtSubmit<TResult>(cancellationToken);
        }

        return Submit(FuncWorkItem<TState, TResult>.Rent(state, work), timeoutTicks, options.Priority, options.FairnessKey, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="RunAsync{TState}(TState, Action{TState, CancellationToken}, CancellationToken)"/>, with per-job settings
    /// (see the options overload of <c>RunAsync&lt;TState, TResult&gt;</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> holds an undefined priority or an out-of-range timeout.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The pool is shutting down or shut down.</exception>
    /// <exception cref="WorkerPoolSaturatedException">The queue or the job's key is full and the pool's mode is <see cref="QueueFullMode.Reject"/>.</exception>
    public ValueTask RunAsync<TState>(TState state, Action<TState, CancellationToken> work, JobOptions options, CancellationToken cancellationToken = default)
#pragma warning restore RS0026
    {
        ArgumentNullException.ThrowIfNull(work);
        long timeoutTicks = ToTimeoutTicks(options);
        ThrowIfClosing();
        if (cancellationToken.IsCancellationRequested)
        {
            return new ValueTask(CanceledAtSubmit<VoidResult>(cancellationToken).AsTask());
        }

        return SubmitVoid(ActionWorkItem<TState>.Rent(state, work), timeoutTicks, options.Priority, options.FairnessKey, cancellationToken);
    }

    /// <summary>
    /// Queues <paramref name="work"/> if a queue slot is free right now; never waits, whatever the pool's <see cref="QueueFullMode"/>.
    /// </summary>
    /// <param name="state">The job's input.</param>
    /// <param name="work">The job, as in <see cref="RunAsync{TState, TResult}(TState, Func{TState, CancellationToken, TResult}, CancellationToken)"/>.</param>
    /// <param name="result">When this returns true, the job's result (await it once); otherwise default.</param>
    /// <param name="cancellationToken">As in <c>RunAsync</c>; an already canceled token yields true with a canceled <paramref name="result"/>.</param>
    /// <returns>True when the job was accepted; false when the queue is full (counted in <see cref="WorkerPoolStats.Rejected"/>) or the pool is shutting down.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    public bool TryRun<TState, TResult>(TState state, Func<TState, CancellationToken, TResult> work, out ValueTask<TResult> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (IsShutdownRequested)
        {
            result = default;
            return false;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            result = CanceledAtSubmit<TResult>(cancellationToken);
            return true;
        }

        FuncWorkItem<TState, TResult> item = FuncWorkItem<TState, TResult>.Rent(state, work);
        Admission admission = Admit(item, _defaultTimeoutTicks, JobPriority.Normal, fairnessKey: null, cancellationToken);
        if (admission == Admission.Enqueued || !TryTakeBack(item, admission))
        {
            result = new ValueTask<TResult>(item, item.Version);
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>
    /// Like <see cref="RunAsync{TState, TResult}(TState, Func{TState, CancellationToken, TResult}, CancellationToken)"/>, with an action run
    /// exactly once, instead of the job, when the job will never run (canceled while queued, refused, or drained by a forced shutdown);
    /// it releases what <paramref name="state"/> owns.
    /// </summary>
    internal ValueTask<TResult> RunOwningAsync<TState, TResult>(TState state, Func<TState, CancellationToken, TResult> work, Action<TState> discard, CancellationToken cancellationToken)
    {
        if (IsShutdownRequested)
        {
            discard(state);
            ThrowClosed();
        }

        if (cancellationToken.IsCancellationRequested)
        {
            discard(state);
            return CanceledAtSubmit<TResult>(cancellationToken);
        }

        return Submit(FuncWorkItem<TState, TResult>.Rent(state, work, discard), _defaultTimeoutTicks, cancellationToken);
    }

    private long ToTimeoutTicks(in JobOptions options)
    {
        if (!Enum.IsDefined(options.Priority))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Priority, "JobOptions.Priority must be High, Normal or Low.");
        }

        return options.Timeout is { } timeout ? ToTimeoutTicks(timeout, nameof(options)) : _defaultTimeoutTicks;
    }

    private static long ToTimeoutTicks(TimeSpan timeout, string parameterName = "timeout")
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return 0;
        }

        if (timeout <= TimeSpan.Zero || timeout > WorkerPoolOptions.MaxJobTimeout)
        {
            throw new ArgumentOutOfRangeException(parameterName, timeout, $"A job timeout must be positive and at most {WorkerPoolOptions.MaxJobTimeout.TotalDays} days, or Timeout.InfiniteTimeSpan.");
        }

        return Math.Max(1, (long)(timeout.TotalSeconds * Stopwatch.Frequency));
    }
}
