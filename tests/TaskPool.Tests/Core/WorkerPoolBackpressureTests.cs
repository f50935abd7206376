namespace TaskPool.Tests.Core;

public sealed class WorkerPoolBackpressureTests
{
    [Fact]
    public async Task RunAsync_RejectModeQueueFull_ThrowsSaturatedAtOnceAndCountsRejected()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { Name = "reject", WorkerCount = 1, QueueCapacity = 2, FullMode = QueueFullMode.Reject });
        WorkerPool pool = blocked.Pool;
        ValueTask<int> first = pool.RunAsync(static ct => 1);
        ValueTask<int> second = pool.RunAsync(static ct => 2);

        var exception = Assert.Throws<WorkerPoolSaturatedException>(() => pool.RunAsync(static ct => 3));

        Assert.Equal("reject", exception.PoolName);
        Assert.Equal(2, exception.QueueCapacity);
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.Rejected);
        Assert.Equal(2, stats.QueueDepth);
        Assert.Equal(3, stats.Submitted); // the blocker and the two queued jobs

        blocked.Release();
        Assert.Equal(1, await first);
        Assert.Equal(2, await second);
    }

    [Fact]
    public async Task RunAsync_WaitModeQueueFull_WaitsForSpaceThenRuns()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 1, FullMode = QueueFullMode.Wait });
        WorkerPool pool = blocked.Pool;
        ValueTask<int> queued = pool.RunAsync(static ct => 1);

        Task<int> waiting = pool.RunAsync(static ct => 2).AsTask();

        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, pool.GetStats().QueueDepth);
        blocked.Release();
        Assert.Equal(1, await queued);
        await waiting.WaitOrFailAsync("the waiting job");
        Assert.Equal(2, await waiting);
        Assert.Equal(0, pool.GetStats().Rejected);
    }

    [Theory]
    [InlineData(QueueFullMode.Wait)]
    [InlineData(QueueFullMode.Reject)]
    public async Task TryRun_QueueFull_ReturnsFalseWithoutWaiting(QueueFullMode mode)
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 1, FullMode = mode });
        WorkerPool pool = blocked.Pool;
        Assert.True(pool.TryRun(1, static (x, ct) => x, out ValueTask<int> accepted));

        bool second = pool.TryRun(2, static (x, ct) => x, out ValueTask<int> refused);

        Assert.False(second);
        Assert.Equal(default, refused);
        Assert.Equal(1, pool.GetStats().Rejected);
        blocked.Release();
        Assert.Equal(1, await accepted);
    }

    [Fact]
    public async Task RunAsync_ManyProducersSmallQueue_QueueDepthNeverExceedsCapacity()
    {
        const int Capacity = 4;
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = Capacity });
        using var stop = new CancellationTokenSource();
        int maxDepthSeen = 0;
        var sampler = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                maxDepthSeen = Math.Max(maxDepthSeen, pool.GetStats().QueueDepth);
            }
        }, TaskCreationOptions.LongRunning);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < 2000; i++)
            {
                await pool.RunAsync(i, static (x, ct) => x);
            }
        })));
        stop.Cancel();
        await sampler;

        Assert.InRange(maxDepthSeen, 0, Capacity);
        Assert.Equal(16000, pool.GetStats().Completed);
    }
}
