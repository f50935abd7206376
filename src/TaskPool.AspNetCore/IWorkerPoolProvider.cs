namespace TaskPool.AspNetCore;

/// <summary>
/// Resolves the worker pools registered with <c>AddWorkerPool</c> by name. Each pool is created once, on first use or when the host starts,
/// and shut down when the host stops. The same pools are also registered as keyed <see cref="WorkerPool"/> services under their names,
/// and the default pool as the unkeyed <see cref="WorkerPool"/> service.
/// </summary>
public interface IWorkerPoolProvider
{
    /// <summary>The names of every registered pool, in registration order.</summary>
    IReadOnlyList<string> PoolNames { get; }

    /// <summary>Returns the pool registered under <paramref name="name"/>, creating it on first use.</summary>
    /// <param name="name">The pool's name, as given to <c>AddWorkerPool</c>; <see cref="WorkerPoolDefaults.PoolName"/> for the default pool.</param>
    /// <returns>The pool; after the host stopped it refuses new jobs with <see cref="ObjectDisposedException"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="InvalidOperationException">No pool is registered under <paramref name="name"/>.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The pool's settings are invalid.</exception>
    WorkerPool GetPool(string name);

    /// <summary>
    /// Whether the shutdown of the pool named <paramref name="name"/> has begun: the host is stopping or stopped, or the pool itself was
    /// shut down (<see cref="WorkerPool.IsShutdownRequested"/>).
    /// </summary>
    /// <param name="name">The pool's name.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="InvalidOperationException">No pool is registered under <paramref name="name"/>.</exception>
    bool IsShutdownRequested(string name);
}
