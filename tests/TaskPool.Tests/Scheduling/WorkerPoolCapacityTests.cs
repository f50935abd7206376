using TaskPool.Tests.Core;

namespace TaskPool.Tests.Scheduling;

public sealed class WorkerPoolCapacityTests
{
    [Fact]
    public async Task RunAsync_CanceledWhileQueued_FreesItsSlotAtOnce()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 1, FullMode = QueueFullMode.Reject });
        WorkerPool pool = blocked.Pool;
        using var cts = new CancellationTokenSource();
        Task<int> canceled = pool.RunAsync(1, static (x, ct) => x, cts.Token).AsTask();
        Assert.Equal(1, pool.GetStats().QueueDepth);

        cts.Cancel();

        Assert.Equal(0, pool.GetStats().QueueDepth); // before any worker looked at the queue
        Assert.True(pool.TryRun(2, static (x, ct) => x, out ValueTask<int> next));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        blocked.Release();
        Assert.Equal(2, await next);
    }

    [Fact]
    public async Task RunAsync_ProducersWaitingForSpace_AreServedInTheOrderTheyCame()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 1 });
        WorkerPool pool = blocked.Pool;
        var order = new StartOrder();
        ValueTask<string> queued = pool.RunAsync((order, "queued"), StartOrder.Record);
        Task<string>[] waiting = Enumerable.Range(0, 5).Select(i => pool.RunAsync((order, $"waiter{i}"), StartOrder.Record).AsTask()).ToArray();
        Assert.All(waiting, task => Assert.False(task.IsCompleted));

        blocked.Release();
        await queued;
        await Task.WhenAll(waiting).WaitOrFailAsync("tasks to finish");

        Assert.Equal(["queued", "waiter0", "waiter1", "waiter2", "waiter3", "waiter4"], order.Labels);
    }

    [Fact]
    public async Task WaitForCapacityAsync_QueueFull_CompletesWhenASlotFrees()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 1 });
        WorkerPool pool = blocked.Pool;
        Assert.True(pool.WaitForCapacityAsync().IsCompletedSuccessfully); // room now: completes at once
        ValueTask<int> queued = pool.RunAsync(1, static (x, ct) => x);

        Task capacity = pool.WaitForCapacityAsync().AsTask();
        Assert.False(capacity.IsCompleted);
        Assert.Equal(1, pool.GetStats().QueueDepth); // waiting for capacity takes no slot

        blocked.Release();
        await capacity.WaitOrFailAsync("room in the queue");
        Assert.Equal(1, await queued);
    }

    [Fact]
    public async Task WaitForCapacityAsync_CanceledOrShutDown_EndsTheWait()
    {
        var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 1 });
        WorkerPool pool = blocked.Pool;
        ValueTask<int> queued = pool.RunAsync(1, static (x, ct) => x);
        using var cts = new CancellationTokenSource();
        Task canceled = pool.WaitForCapacityAsync(cts.Token).AsTask();
        Task closed = pool.WaitForCapacityAsync().AsTask();

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled.WaitOrFailAsync("the canceled wait"));
        Task shutdown = pool.ShutdownAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => closed.WaitOrFailAsync("the wait refused at shutdown"));
        Assert.Throws<ObjectDisposedException>(() => pool.WaitForCapacityAsync());

        await blocked.DisposeAsync();
        await shutdown;
        Assert.Equal(1, await queued);
    }

    [Fact]
    public async Task CancelQueued_QueuedAndWaitingJobs_CancelsThemAllButNotTheRunningOne()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 3 });
        WorkerPool pool = blocked.Pool;
        var jobs = new List<Task<int>>
        {
            pool.RunAsync(1, static (x, ct) => x).AsTask(),
            pool.RunAsync(2, static (x, ct) => x, new JobOptions { Priority = JobPriority.High }).AsTask(),
            pool.RunAsync(3, static (x, ct) => x, new JobOptions { FairnessKey = "k" }).AsTask(),
            pool.RunAsync(4, static (x, ct) => x).AsTask(), // waits for space
            pool.RunAsync(5, static (x, ct) => x).AsTask(), // waits for space
        };

        int canceled = pool.CancelQueued();

        Assert.Equal(5, canceled);
        foreach (Task<int> job in jobs)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.WaitOrFailAsync("a canceled job"));
        }

        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal((0, 1, 5, 6L), (stats.QueueDepth, stats.BusyWorkers, stats.Canceled, stats.Submitted)); // the blocker still runs
        Assert.Equal(0, pool.CancelQueued());
        ValueTask<int> later = pool.RunAsync(7, static (x, ct) => x); // the pool still accepts jobs
        blocked.Release();
        Assert.Equal(7, await later);
    }
}
