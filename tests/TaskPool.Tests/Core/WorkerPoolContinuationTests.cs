namespace TaskPool.Tests.Core;

public sealed class WorkerPoolContinuationTests
{
    [Fact]
    public async Task RunAsync_Awaited_ContinuationNeverRunsOnAWorker()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });

        for (int i = 0; i < 2000; i++)
        {
            // Jobs long enough that the await really suspends, and short ones that may complete first.
            await pool.RunAsync(i, static (x, ct) => x % 2 == 0 ? x : SpinBriefly(x));
            Assert.False(WorkerPool.IsWorkerThread);
        }
    }

    [Fact]
    public async Task RunAsync_CallerWaitedForQueueSpace_ContinuationNeverRunsOnAWorker()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 1 });
        WorkerPool pool = blocked.Pool;
        ValueTask<int> queued = pool.RunAsync(static ct => 1);
        var waiters = Enumerable.Range(0, 8).Select(i => WaitForSpaceThenReportThreadAsync(pool, i)).ToArray();

        blocked.Release();
        await queued;
        bool[] ranOnWorker = await Task.WhenAll(waiters).WaitOrFailAsync("tasks to finish");

        Assert.All(ranOnWorker, Assert.False);
    }

    private static async Task<bool> WaitForSpaceThenReportThreadAsync(WorkerPool pool, int i)
    {
        await Task.Yield();
        await pool.RunAsync(i, static (x, ct) => x);
        return WorkerPool.IsWorkerThread;
    }

    private static int SpinBriefly(int x)
    {
        Thread.SpinWait(2000);
        return x;
    }
}
