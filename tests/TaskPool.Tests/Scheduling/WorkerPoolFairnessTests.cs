using TaskPool.Tests.Core;

namespace TaskPool.Tests.Scheduling;

public sealed class WorkerPoolFairnessTests
{
    [Fact]
    public async Task RunAsync_OneKeyFloodsThenAnotherSubmitsTen_TheTenRunInterleavedWithTheFlood()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 2_000 });
        var order = new StartOrder();
        var jobs = new List<ValueTask<string>>();
        for (int i = 0; i < 1_000; i++)
        {
            jobs.Add(blocked.Pool.RunAsync((order, "flood"), StartOrder.Record, new JobOptions { FairnessKey = "tenant-a" }));
        }

        for (int i = 0; i < 10; i++)
        {
            jobs.Add(blocked.Pool.RunAsync((order, "polite"), StartOrder.Record, new JobOptions { FairnessKey = "tenant-b" }));
        }

        Assert.Equal(2, blocked.Pool.GetStats().FairnessKeys);
        blocked.Release();
        foreach (ValueTask<string> job in jobs)
        {
            await job.AsTask().WaitOrFailAsync("tasks to finish");
        }

        // In turns: after the flood's first job, the polite key's ten alternate with the flood's.
        int lastPolite = order.Labels.ToList().LastIndexOf("polite");
        Assert.InRange(lastPolite, 9, 21);
        Assert.Equal(1_000, order.Labels.Count(label => label == "flood"));
        Assert.Equal(0, blocked.Pool.GetStats().FairnessKeys); // a key with nothing queued costs nothing
    }

    [Fact]
    public async Task RunAsync_PlainFloodThenAKeyedClient_TheKeyedJobsInterleaveWithThePlainOnes()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 300 });
        var order = new StartOrder();
        var jobs = new List<ValueTask<string>>();
        for (int i = 0; i < 200; i++)
        {
            jobs.Add(blocked.Pool.RunAsync((order, "plain"), StartOrder.Record));
        }

        for (int i = 0; i < 5; i++)
        {
            jobs.Add(blocked.Pool.RunAsync((order, "keyed"), StartOrder.Record, new JobOptions { FairnessKey = "client" }));
        }

        blocked.Release();
        foreach (ValueTask<string> job in jobs)
        {
            await job.AsTask().WaitOrFailAsync("tasks to finish");
        }

        Assert.InRange(order.Labels.ToList().LastIndexOf("keyed"), 4, 11);
    }

    [Fact]
    public async Task RunAsync_KeyOverItsLimitInRejectMode_RefusedWhileOtherKeysGetIn()
    {
        var logs = new ListLoggerFactory();
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 10, FullMode = QueueFullMode.Reject, MaxQueuedPerKey = 2, LoggerFactory = logs });
        WorkerPool pool = blocked.Pool;
        ValueTask<int> first = pool.RunAsync(1, static (x, ct) => x, new JobOptions { FairnessKey = "greedy" });
        ValueTask<int> second = pool.RunAsync(2, static (x, ct) => x, new JobOptions { FairnessKey = "greedy" });

        var refused = Assert.Throws<WorkerPoolSaturatedException>(() => pool.RunAsync(3, static (x, ct) => x, new JobOptions { FairnessKey = "greedy" }));
        ValueTask<int> other = pool.RunAsync(4, static (x, ct) => x, new JobOptions { FairnessKey = "polite" });
        ValueTask<int> plain = pool.RunAsync(5, static (x, ct) => x);

        Assert.Equal("greedy", refused.FairnessKey);
        Assert.Equal(1, pool.GetStats().Rejected);
        Assert.Contains(logs.Entries, e => e.Message.Contains("fairness key greedy", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("saturated", StringComparison.Ordinal)); // the queue itself had room
        Assert.Equal(4, pool.GetStats().QueueDepth);
        blocked.Release();
        int[] results = [await first, await second, await other, await plain];
        Assert.Equal([1, 2, 4, 5], results);
    }

    [Fact]
    public async Task RunAsync_KeyOverItsLimitInWaitMode_WaitsWhileOtherKeysGetIn()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 10, MaxQueuedPerKey = 1 });
        WorkerPool pool = blocked.Pool;
        ValueTask<int> first = pool.RunAsync(1, static (x, ct) => x, new JobOptions { FairnessKey = "greedy" });
        Task<int> waiting = pool.RunAsync(2, static (x, ct) => x, new JobOptions { FairnessKey = "greedy" }).AsTask();
        ValueTask<int> other = pool.RunAsync(3, static (x, ct) => x, new JobOptions { FairnessKey = "polite" });

        Assert.False(waiting.IsCompleted);
        Assert.Equal(2, pool.GetStats().QueueDepth); // greedy's first and polite's: the waiting one holds no slot
        blocked.Release();

        Assert.Equal(1, await first);
        Assert.Equal(3, await other);
        Assert.Equal(2, await waiting.WaitOrFailAsync("tasks to finish"));
        Assert.Equal(0, pool.GetStats().Rejected);
    }

    [Fact]
    public void Options_MaxQueuedPerKeyZero_ThrowsArgumentOutOfRange()
    {
        var options = new WorkerPoolOptions { MaxQueuedPerKey = 0 };

        Assert.Equal(nameof(WorkerPoolOptions.MaxQueuedPerKey), Assert.Throws<ArgumentOutOfRangeException>(options.Validate).ParamName);
    }
}
