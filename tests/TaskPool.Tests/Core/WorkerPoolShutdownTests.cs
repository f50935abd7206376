namespace TaskPool.Tests.Core;

public sealed class WorkerPoolShutdownTests
{
    [Fact]
    public async Task ShutdownAsync_JobsQueued_RunsEveryQueuedJobBeforeReturning()
    {
        var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 16 });
        WorkerPool pool = blocked.Pool;
        var queued = Enumerable.Range(0, 10).Select(i => pool.RunAsync(i, static (x, ct) => x + 100)).ToArray();

        Task shutdown = pool.ShutdownAsync();
        Assert.False(shutdown.IsCompleted);
        blocked.Release();
        await shutdown.WaitOrFailAsync("graceful shutdown");

        for (int i = 0; i < queued.Length; i++)
        {
            Assert.Equal(i + 100, await queued[i]);
        }

        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(11, stats.Completed);
        Assert.Equal(stats.Submitted, stats.Completed);
        await blocked.DisposeAsync();
    }

    [Fact]
    public async Task IsShutdownRequested_ShutdownBegunWithJobsStillRunning_IsTrueBeforeTheShutdownCompletesAndStaysTrue()
    {
        var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 4 });
        WorkerPool pool = blocked.Pool;
        ValueTask<int> queued = pool.RunAsync(static ct => 7);
        Assert.False(pool.IsShutdownRequested);

        Task shutdown = pool.ShutdownAsync();

        Assert.True(pool.IsShutdownRequested);
        Assert.False(shutdown.IsCompleted); // the running and the queued job still finish
        blocked.Release();
        await shutdown.WaitOrFailAsync("graceful shutdown");
        Assert.Equal(7, await queued);
        Assert.True(pool.IsShutdownRequested);
        await blocked.DisposeAsync();
    }

    [Fact]
    public async Task ShutdownAsync_Called_LaterSubmissionsThrowObjectDisposedAndTryRunFails()
    {
        var pool = new WorkerPool(new WorkerPoolOptions { Name = "closed", WorkerCount = 1 });

        await pool.ShutdownAsync();

        var exception = Assert.Throws<ObjectDisposedException>(() => pool.RunAsync(static ct => 1));
        Assert.Contains("closed", exception.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => pool.RunAsync(static ct => { }));
        Assert.Throws<ObjectDisposedException>(() => pool.RunAsync(1, static (x, ct) => { }));
        Assert.False(pool.TryRun(1, static (x, ct) => x, out _));
    }

    [Fact]
    public async Task ShutdownAsync_CallerWaitingForQueueSpace_GetsObjectDisposedAndNothingIsLost()
    {
        var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 1 });
        WorkerPool pool = blocked.Pool;
        ValueTask<int> queued = pool.RunAsync(static ct => 1);
        Task<int> waiting = pool.RunAsync(static ct => 2).AsTask();

        Task shutdown = pool.ShutdownAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitOrFailAsync("the refused waiter"));
        blocked.Release();
        await shutdown.WaitOrFailAsync("shutdown");
        Assert.Equal(1, await queued);
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(2, stats.Submitted); // the blocker and the queued job; the refused waiter was never accepted
        Assert.Equal(stats.Submitted, stats.Completed);
        await blocked.DisposeAsync();
    }

    [Fact]
    public async Task ShutdownAsync_TokenCanceled_QueuedJobsCanceledRunningJobsSeeTheirTokenAndThreadsExit()
    {
        var pool = new WorkerPool(new WorkerPoolOptions { Name = "forced", WorkerCount = 1, QueueCapacity = 16 });
        using var started = new ManualResetEventSlim();
        Task<bool> running = pool.RunAsync(started, static (s, ct) =>
        {
            s.Set();
            return ct.WaitHandle.WaitOne(TestTimeouts.Hang); // true when canceled
        }).AsTask();
        started.WaitOrFail("the running job");
        int ran = 0;
        var queued = Enumerable.Range(0, 5).Select(i => pool.RunAsync(ct => Interlocked.Increment(ref ran)).AsTask()).ToArray();
        using var deadline = new CancellationTokenSource();
        deadline.Cancel();

        await pool.ShutdownAsync(deadline.Token).WaitOrFailAsync("forced shutdown");

        Assert.True(await running);
        foreach (Task<int> job in queued)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job);
        }

        Assert.Equal(0, ran);
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(5, stats.Canceled);
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled);
    }

    [Fact]
    public async Task ShutdownAsync_CalledConcurrentlyAndRepeatedly_AllCallsCompleteOnce()
    {
        var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2 });
        var jobs = Enumerable.Range(0, 100).Select(i => pool.RunAsync(i, static (x, ct) => x).AsTask()).ToArray();

        Task[] shutdowns = Enumerable.Range(0, 8).Select(_ => Task.Run(() => pool.ShutdownAsync())).ToArray();
        pool.Dispose();
        await Task.WhenAll(shutdowns).WaitOrFailAsync("concurrent shutdowns");
        await pool.DisposeAsync();
        await pool.ShutdownAsync();

        Assert.Equal(Enumerable.Range(0, 100), await Task.WhenAll(jobs));
    }

    [Fact]
    public async Task Dispose_FromInsideAJob_ThrowsInvalidOperationInsteadOfDeadlocking()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await pool.RunAsync(pool, static (p, ct) => p.Dispose()));
    }

    [Fact]
    public async Task ShutdownAsync_FromInsideAJob_CompletesAfterTheJobReturns()
    {
        var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });

        Task shutdown = await pool.RunAsync(pool, static (p, ct) => p.ShutdownAsync());

        await shutdown.WaitOrFailAsync("shutdown started by a job");
    }
}
