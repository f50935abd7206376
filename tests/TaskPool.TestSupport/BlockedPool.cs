using Xunit;

namespace TaskPool.TestSupport;

/// <summary>
/// Holds every worker of a pool inside a job until <see cref="Release"/>, so a test can fill the queue and order events without sleeps or
/// timing. Either it makes the pool and owns it (<see cref="BlockedPool(WorkerPoolOptions)"/>: disposing it shuts the pool down), or it
/// blocks a pool someone else owns, such as a host (<see cref="BlockAsync"/>: disposing it only releases and awaits its blocking jobs).
/// </summary>
public sealed class BlockedPool : IAsyncDisposable
{
    private const string EveryWorkerBlocked = "every worker to enter its blocking job";

    private readonly ManualResetEventSlim _gate = new();
    private readonly CountdownEvent _started;
    private readonly List<ValueTask<int>> _blockers = [];
    private readonly bool _ownsPool;

    /// <summary>Creates a pool with <paramref name="options"/> and returns once each of its workers is inside a blocking job.</summary>
    public BlockedPool(WorkerPoolOptions options)
        : this(new WorkerPool(options), ownsPool: true)
    {
        _started.WaitOrFail(EveryWorkerBlocked);
    }

    private BlockedPool(WorkerPool pool, bool ownsPool)
    {
        Pool = pool;
        _ownsPool = ownsPool;
        _started = new CountdownEvent(pool.WorkerCount);
        for (int i = 0; i < pool.WorkerCount; i++)
        {
            _blockers.Add(pool.RunAsync((_gate, _started), static (s, ct) =>
            {
                s._started.Signal();
                s._gate.Wait(ct); // a forced shutdown cancels it, as it cancels any job that honours its token
                return 0;
            }));
        }
    }

    public WorkerPool Pool { get; }

    /// <summary>Blocks every worker of <paramref name="pool"/>, which stays its owner's to shut down; returns once each is inside its job.</summary>
    public static async Task<BlockedPool> BlockAsync(WorkerPool pool)
    {
        var blocked = new BlockedPool(pool, ownsPool: false);
        await Task.Run(() => blocked._started.WaitOrFail(EveryWorkerBlocked));
        return blocked;
    }

    public void Release() => _gate.Set();

    /// <summary>Releases the workers and awaits every blocking job.</summary>
    public async Task DrainBlockersAsync()
    {
        Release();
        foreach (ValueTask<int> blocker in _blockers)
        {
            await blocker;
        }

        _blockers.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        if (_ownsPool)
        {
            await Pool.ShutdownAsync().WaitOrFailAsync("pool shutdown");
        }
        else
        {
            foreach (ValueTask<int> blocker in _blockers)
            {
                try
                {
                    await blocker;
                }
                catch (OperationCanceledException)
                {
                    // a forced shutdown canceled it
                }
            }
        }

        _gate.Dispose();
        _started.Dispose();
    }
}
