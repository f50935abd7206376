namespace TaskPool;

public sealed partial class WorkerPool
{
    /// <summary>
    /// Moves <paramref name="buffer"/> into a job without copying it, and returns the job's result.
    /// </summary>
    /// <remarks>
    /// Who owns the memory, on every path:
    /// <list type="bullet">
    /// <item>This method calls <see cref="OwnedBuffer{T}.Transfer"/> first: from then on <paramref name="buffer"/> is detached, whatever happens next
    /// (also when this method throws because the pool is shutting down or saturated).</item>
    /// <item>The job receives the new owner. When the job returns or throws, the pool disposes that owner, unless the job moved it on
    /// (for example <c>return owner.Transfer();</c> to hand it back as its result): disposing a detached handle does nothing.</item>
    /// <item>A job that never runs (canceled before it starts, rejected, refused at shutdown, drained by a forced shutdown) has its owner disposed by the pool.</item>
    /// <item>A job that times out still runs to its end and its owner is disposed then; a result it returns after the deadline is disposed too.</item>
    /// </list>
    /// Pooled memory therefore goes back to its pool exactly once.
    /// </remarks>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TResult">What the job returns.</typeparam>
    /// <param name="buffer">The buffer to move; detached when this method returns or throws.</param>
    /// <param name="work">The job; pass a static lambda to avoid a closure per job.</param>
    /// <param name="cancellationToken">As in <see cref="RunAsync{TState, TResult}(TState, Func{TState, CancellationToken, TResult}, CancellationToken)"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> or <paramref name="work"/> is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="buffer"/> is already detached or disposed, or the pool is shutting down.</exception>
    /// <exception cref="WorkerPoolSaturatedException">The queue is full and the pool's mode is <see cref="QueueFullMode.Reject"/>.</exception>
    public ValueTask<TResult> RunAsync<T, TResult>(OwnedBuffer<T> buffer, Func<OwnedBuffer<T>, CancellationToken, TResult> work, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(work);
        OwnedBuffer<T> owner = buffer.Transfer();
        return RunOwningAsync(
            new OwnedBufferJob<T, TResult>(owner, work),
            static (job, cancellationToken) => job.Run(cancellationToken),
            static job => job.Owner.Dispose(),
            cancellationToken);
    }

    /// <summary>
    /// Like <see cref="RunAsync{T, TResult}(OwnedBuffer{T}, Func{OwnedBuffer{T}, CancellationToken, TResult}, CancellationToken)"/>, with a
    /// state passed to the job beside the buffer (options, a target size), so that a static lambda needs no closure. Same ownership rules.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TState">What the job needs besides the buffer; passed as is, never boxed.</typeparam>
    /// <typeparam name="TResult">What the job returns.</typeparam>
    /// <param name="buffer">The buffer to move; detached when this method returns or throws.</param>
    /// <param name="state">The job's other input.</param>
    /// <param name="work">The job; pass a static lambda.</param>
    /// <param name="cancellationToken">As in <see cref="RunAsync{TState, TResult}(TState, Func{TState, CancellationToken, TResult}, CancellationToken)"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> or <paramref name="work"/> is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="buffer"/> is already detached or disposed, or the pool is shutting down.</exception>
    /// <exception cref="WorkerPoolSaturatedException">The queue is full and the pool's mode is <see cref="QueueFullMode.Reject"/>.</exception>
    public ValueTask<TResult> RunAsync<T, TState, TResult>(OwnedBuffer<T> buffer, TState state, Func<OwnedBuffer<T>, TState, CancellationToken, TResult> work, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(work);
        OwnedBuffer<T> owner = buffer.Transfer();
        return RunOwningAsync(
            new OwnedBufferJob<T, TState, TResult>(owner, state, work),
            static (job, cancellationToken) => job.Run(cancellationToken),
            static job => job.Owner.Dispose(),
            cancellationToken);
    }

    /// <summary>The state of a job that owns a buffer: the owner and the user's delegate, passed without a closure.</summary>
    private readonly struct OwnedBufferJob<T, TResult>(OwnedBuffer<T> owner, Func<OwnedBuffer<T>, CancellationToken, TResult> work)
        where T : unmanaged
    {
        public OwnedBuffer<T> Owner { get; } = owner;

        public TResult Run(CancellationToken cancellationToken)
        {
            try
            {
                return work(Owner, cancellationToken);
            }
            finally
            {
                Owner.Dispose(); // no-op when the job moved the buffer on
            }
        }
    }

    /// <summary>The state of a job that owns a buffer and carries a state of its own.</summary>
    private readonly struct OwnedBufferJob<T, TState, TResult>(OwnedBuffer<T> owner, TState state, Func<OwnedBuffer<T>, TState, CancellationToken, TResult> work)
        where T : unmanaged
    {
        public OwnedBuffer<T> Owner { get; } = owner;

        public TResult Run(CancellationToken cancellationToken)
        {
            try
            {
                return work(Owner, state, cancellationToken);
            }
            finally
            {
                Owner.Dispose(); // no-op when the job moved the buffer on
            }
        }
    }
}
