namespace TaskPool.Tests.Core;

/// <summary>
/// A pool whose workers are all held inside a job until <see cref="Release"/>: lets a test fill the queue and order events without sleeps.
/// </summary>
internal sealed class BlockedPool : IAsyncDisposable
{
    private readonly ManualResetEventSlim _gate = new();
    private readonly CountdownEvent _started;
    private readonly List<ValueTask<int>> _blockers = [];

    public BlockedPool(WorkerPoolOptions options)
    {
        Pool = new WorkerPool(options);
        _started = new CountdownEvent(Pool.WorkerCount);
        for (int i = 0; i < Pool.WorkerCount; i++)
        {
            _blockers.Add(Pool.RunAsync((_gate, _started), static (s, ct) =>
            {
                s._started.Signal();
                s._gate.Wait(ct);
                return 0;
            }));
        }

        _started.WaitOrFail("every worker to enter its blocking job");
    }

    public WorkerPool Pool { get; }

    public void Release() => _gate.Set();

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
        await Pool.ShutdownAsync().WaitOrFailAsync("pool shutdown");
        _gate.Dispose();
        _started.Dispose();
    }
}
