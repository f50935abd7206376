namespace TaskPool.Tests.Core;

public sealed class WorkerPoolCancellationTests
{
    [Fact]
    public async Task RunAsync_TokenAlreadyCanceled_CanceledAtOnceAndJobNeverRuns()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        int ran = 0;

        ValueTask<int> job = pool.RunAsync(ct => ran = 1, cts.Token);

        Assert.True(job.IsCanceled);
        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await job);
        Assert.Equal(cts.Token, exception.CancellationToken);
        await pool.ShutdownAsync();
        Assert.Equal(0, ran);
        Assert.Equal(1, pool.GetStats().Canceled);
    }

    [Fact]
    public async Task RunAsync_CanceledWhileQueued_AwaitCompletesBeforeTheJobReachesAWorker()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1 });
        WorkerPool pool = blocked.Pool;
        using var cts = new CancellationTokenSource();
        int ran = 0;
        Task<int> job = pool.RunAsync(ct => ran = 1, cts.Token).AsTask();
        Assert.Equal(1, pool.GetStats().QueueDepth);

        cts.Cancel();

        // The only worker is still blocked: the cancellation itself completed the caller's await.
        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.WaitOrFailAsync("the canceled job"));
        Assert.Equal(cts.Token, exception.CancellationToken);
        Assert.Equal(1, pool.GetStats().BusyWorkers);
        Assert.Equal(1, pool.GetStats().Canceled);

        await blocked.DrainBlockersAsync();
        Assert.Equal(42, await pool.RunAsync(static ct => 42)); // the worker skipped the canceled item
        Assert.Equal(0, ran);
    }

    [Fact]
    public async Task RunAsync_CanceledWhileRunning_JobSeesItsTokenAndCountsAsCanceled()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        using var cts = new CancellationTokenSource();
        using var started = new ManualResetEventSlim();

        Task<int> job = pool.RunAsync(started, static (s, ct) =>
        {
            s.Set();
            ct.WaitHandle.WaitOne(TestTimeouts.Hang);
            ct.ThrowIfCancellationRequested();
            return 0;
        }, cts.Token).AsTask();
        started.WaitOrFail("the job to start");
        cts.Cancel();

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.WaitOrFailAsync("the canceled job"));
        Assert.Equal(cts.Token, exception.CancellationToken); // attributed to the caller's token, as Task.Run does
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.Canceled);
        Assert.Equal(0, stats.Faulted);
    }

    [Fact]
    public async Task RunAsync_CanceledAfterJobFinished_NextJobOnTheSameWorkerIsNotCanceled()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        using var cts = new CancellationTokenSource();
        await pool.RunAsync(static ct => 1, cts.Token);

        cts.Cancel();
        bool nextSawCancellation = await pool.RunAsync(static ct => ct.IsCancellationRequested);

        Assert.False(nextSawCancellation);
    }

    [Fact]
    public async Task RunAsync_JobCanceledWhileRunning_NextJobGetsAFreshToken()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });
        using var cts = new CancellationTokenSource();
        using var started = new ManualResetEventSlim();
        Task<int> job = pool.RunAsync(started, static (s, ct) =>
        {
            s.Set();
            ct.WaitHandle.WaitOne(TestTimeouts.Hang);
            return 1;
        }, cts.Token).AsTask();
        started.WaitOrFail("the job to start");
        cts.Cancel();
        Assert.Equal(1, await job); // it returned normally despite the cancellation: completed

        bool nextSawCancellation = await pool.RunAsync(static ct => ct.IsCancellationRequested);

        Assert.False(nextSawCancellation);
        Assert.Equal(2, pool.GetStats().Completed);
    }

    [Fact]
    public async Task RunAsync_CanceledWhileWaitingForSpace_ThrowsAtOnceAndNothingIsQueued()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 1 });
        WorkerPool pool = blocked.Pool;
        ValueTask<int> queued = pool.RunAsync(static ct => 1);
        using var cts = new CancellationTokenSource();
        int ran = 0;
        Task<int> waiting = pool.RunAsync(ct => ran = 1, cts.Token).AsTask();
        Assert.False(waiting.IsCompleted);

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitOrFailAsync("the canceled waiter"));
        blocked.Release();
        Assert.Equal(1, await queued);
        Assert.Equal(0, ran);
        await pool.ShutdownAsync();
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled);
        Assert.Equal(1, stats.Canceled);
    }

    [Fact]
    public async Task RunAsync_CancelRacesWithStart_EveryJobResolvesExactlyOnce()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2, QueueCapacity = 64 });
        const int Jobs = 20_000;
        int ran = 0;
        var tasks = new List<Task<int>>(Jobs);
        var sources = new List<CancellationTokenSource>(Jobs);
        for (int i = 0; i < Jobs; i++)
        {
            var cts = new CancellationTokenSource();
            sources.Add(cts);
            tasks.Add(pool.RunAsync(ct => Interlocked.Increment(ref ran), cts.Token).AsTask());
            if (i % 3 == 0)
            {
                cts.Cancel(); // races with the worker's claim
            }
        }

        int completed = 0, canceled = 0;
        foreach (Task<int> task in tasks)
        {
            try
            {
                await task.WaitOrFailAsync("a racing job");
                completed++;
            }
            catch (OperationCanceledException)
            {
                canceled++;
            }
        }

        sources.ForEach(s => s.Dispose());
        Assert.Equal(Jobs, completed + canceled);
        Assert.Equal(completed, Volatile.Read(ref ran)); // a job that ran was reported as run, never as canceled
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(Jobs, stats.Submitted);
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled);
    }
}
