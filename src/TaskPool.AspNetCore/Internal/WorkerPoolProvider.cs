using Microsoft.Extensions.Options;

namespace TaskPool.AspNetCore.Internal;

/// <summary>
/// Owns the registered pools: creates each one from its named <see cref="WorkerPoolOptions"/> on first use, and shuts them all down
/// when the host stops (<see cref="ShutdownAsync"/>) or, as a last resort, when the container is disposed.
/// </summary>
internal sealed class WorkerPoolProvider : IWorkerPoolProvider, IAsyncDisposable, IDisposable
{
    private readonly Dictionary<string, Lazy<WorkerPool>> _pools = new(StringComparer.Ordinal);
    private readonly string[] _names;
    private int _shutdownRequested;
    private int _started;
    private int _stopping;

    public WorkerPoolProvider(IEnumerable<WorkerPoolRegistration> registrations, IOptionsMonitor<WorkerPoolOptions> options)
    {
        var names = new List<string>();
        foreach (WorkerPoolRegistration registration in registrations)
        {
            if (_pools.ContainsKey(registration.Name))
            {
                continue; // registered twice: the configuration callbacks of both calls apply to one pool
            }

            string name = registration.Name;
            _pools.Add(name, new Lazy<WorkerPool>(() => CreatePool(name, options), LazyThreadSafetyMode.ExecutionAndPublication));
            names.Add(name);
        }

        _names = [.. names];
    }

    public IReadOnlyList<string> PoolNames => _names;

    internal bool IsAnyShutdownRequested => Volatile.Read(ref _shutdownRequested) != 0;

    /// <summary>Whether the host started the pools (<see cref="MarkStarted"/>).</summary>
    internal bool IsStarted => Volatile.Read(ref _started) != 0;

    /// <summary>Whether the host began to stop (<see cref="MarkStopping"/>): readiness is lost, even while the pools still accept jobs.</summary>
    internal bool IsStopping => Volatile.Read(ref _stopping) != 0;

    internal void MarkStarted() => Interlocked.Exchange(ref _started, 1);

    internal void MarkStopping() => Interlocked.Exchange(ref _stopping, 1);

    public WorkerPool GetPool(string name) => GetLazy(name).Value;

    public bool IsShutdownRequested(string name)
    {
        Lazy<WorkerPool> pool = GetLazy(name); // validates the name
        return IsAnyShutdownRequested // every pool is shut down together, when the host stops
            || (pool.IsValueCreated && pool.Value.IsShutdownRequested); // or this one alone, by code that holds it
    }

    /// <summary>The pools created so far.</summary>
    internal IEnumerable<WorkerPool> CreatedPools => _pools.Values.Where(static p => p.IsValueCreated).Select(static p => p.Value);

    /// <summary>Creates every registered pool now, so that bad settings fail start-up and threads exist before the first request.</summary>
    internal void CreateAll()
    {
        foreach (Lazy<WorkerPool> pool in _pools.Values)
        {
            _ = pool.Value;
        }
    }

    /// <summary>
    /// Shuts down every pool created so far, concurrently: queued jobs still run; when <paramref name="cancellationToken"/> fires
    /// (the host's shutdown timeout), jobs still queued complete as canceled and running jobs see their token canceled.
    /// </summary>
    internal Task ShutdownAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _shutdownRequested, 1);
        return Task.WhenAll(CreatedPools.Select(pool => pool.ShutdownAsync(cancellationToken)));
    }

    public async ValueTask DisposeAsync()
    {
        // Normally the hosted service has shut everything down already; this only waits for threads to exit.
        await ShutdownAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _shutdownRequested, 1);
        foreach (WorkerPool pool in CreatedPools)
        {
            pool.Dispose(); // graceful, blocking: for a container disposed synchronously
        }
    }

    private Lazy<WorkerPool> GetLazy(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_pools.TryGetValue(name, out Lazy<WorkerPool>? pool))
        {
            throw new InvalidOperationException(
                $"No worker pool named '{name}' is registered. Register it with services.AddWorkerPool(\"{name}\", ...).");
        }

        return pool;
    }

    private WorkerPool CreatePool(string name, IOptionsMonitor<WorkerPoolOptions> options)
    {
        if (IsAnyShutdownRequested)
        {
            throw new ObjectDisposedException(nameof(WorkerPool), $"WorkerPool '{name}' was not created: the host is shutting down.");
        }

        return new WorkerPool(options.Get(name)); // IOptionsMonitor.Get runs the validators: bad settings throw OptionsValidationException
    }
}
