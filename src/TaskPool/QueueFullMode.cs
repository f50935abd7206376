namespace TaskPool;

/// <summary>What <see cref="WorkerPool.RunAsync{TState, TResult}(TState, Func{TState, CancellationToken, TResult}, CancellationToken)"/> does when the queue is full.</summary>
public enum QueueFullMode
{
    /// <summary>Wait asynchronously until a queue slot frees up (backpressure on the caller).</summary>
    Wait,

    /// <summary>Throw <see cref="WorkerPoolSaturatedException"/> at once and count the job as rejected.</summary>
    Reject,
}
