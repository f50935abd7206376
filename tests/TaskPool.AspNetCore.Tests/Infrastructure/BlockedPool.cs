namespace TaskPool.AspNetCore.Tests.Infrastructure;

/// <summary>Holds every worker of a pool inside a job until released, so a test can fill the queue without sleeps or timing.</summary>
internal sealed class BlockedPool : IAsyncDisposable
{
    private readonly ManualResetEventSlim _gate = new();
    private readonly List<ValueTask<int>> _blockers = [];

    private BlockedPool()
    {
    }

    public static async Task<BlockedPool> BlockAsync(WorkerPool pool)
    {
        var blocked = new BlockedPool();
        using var started = new CountdownEvent(pool.WorkerCount);
        for (int i = 0; i < pool.WorkerCount; i++)
        {
            blocked._blockers.Add(pool.RunAsync((blocked._gate, started), static (s, ct) =>
            {
                s.started.Signal();
                s._gate.Wait(ct); // a forced shutdown cancels it, as it cancels any job that honours its token
                return 0;
            }));
        }

        Assert.True(await Task.Run(() => started.Wait(TestTimeouts.Hang)), "Timed out waiting for every worker to enter its blocking job");
        return blocked;
    }

    public void Release() => _gate.Set();

    public async ValueTask DisposeAsync()
    {
        Release();
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

        _gate.Dispose();
    }
}
