using TaskPool.Tests.Core;

namespace TaskPool.Tests.Scheduling;

public sealed class WorkerPoolPriorityTests
{
    [Fact]
    public async Task RunAsync_PrioritiesQueuedBehindABusyWorker_HighStartsFirstThenNormalThenLow()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, PriorityAging = TimeSpan.FromHours(1) });
        var order = new StartOrder();
        var jobs = new List<ValueTask<string>>();
        foreach ((JobPriority priority, string label) in new[] { (JobPriority.Low, "low1"), (JobPriority.Normal, "normal1"), (JobPriority.High, "high1"), (JobPriority.Low, "low2"), (JobPriority.High, "high2"), (JobPriority.Normal, "normal2") })
        {
            jobs.Add(blocked.Pool.RunAsync((order, label), StartOrder.Record, new JobOptions { Priority = priority }));
        }

        blocked.Release();
        foreach (ValueTask<string> job in jobs)
        {
            await job.AsTask().WaitOrFailAsync("tasks to finish");
        }

        Assert.Equal(["high1", "high2", "normal1", "normal2", "low1", "low2"], order.Labels);
    }

    [Fact]
    public async Task RunAsync_PlainJobsBesideNormalPriorityJobs_AreOneMemberOfTheNormalRound()
    {
        await using var blocked = new BlockedPool(new WorkerPoolOptions { WorkerCount = 1, PriorityAging = TimeSpan.FromHours(1) });
        var order = new StartOrder();
        var jobs = new List<ValueTask<string>>();
        for (int i = 0; i < 3; i++)
        {
            jobs.Add(blocked.Pool.RunAsync((order, $"plain{i}"), StartOrder.Record)); // no options: the fast path
        }

        jobs.Add(blocked.Pool.RunAsync((order, "high"), StartOrder.Record, new JobOptions { Priority = JobPriority.High }));
        jobs.Add(blocked.Pool.RunAsync((order, "low"), StartOrder.Record, new JobOptions { Priority = JobPriority.Low }));
        blocked.Release();
        foreach (ValueTask<string> job in jobs)
        {
            await job.AsTask().WaitOrFailAsync("tasks to finish");
        }

        Assert.Equal(["high", "plain0", "plain1", "plain2", "low"], order.Labels);
    }

    /// <summary>
    /// A producer keeps a single worker busy with a stream of high-priority jobs; a low-priority job submitted into it must run while the
    /// stream still has jobs queued (aging), not after the stream ends. The stream is bounded, so a broken aging fails instead of hanging.
    /// </summary>
    [Fact]
    public async Task RunAsync_LowJobUnderASteadyHighStream_RunsBeforeTheStreamEnds()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 64, PriorityAging = TimeSpan.FromMilliseconds(20) });
        const int StreamLength = 2_000; // 2,000 jobs of ~1 ms: far longer than two aging periods
        int highStarted = 0;
        var stream = Task.Run(async () =>
        {
            var pending = new Queue<ValueTask<int>>();
            for (int i = 0; i < StreamLength; i++)
            {
                pending.Enqueue(pool.RunAsync(i, (x, ct) =>
                {
                    Interlocked.Increment(ref highStarted);
                    Thread.Sleep(1);
                    return x;
                }, new JobOptions { Priority = JobPriority.High }));
                if (pending.Count >= 8)
                {
                    await pending.Dequeue(); // keep about eight high jobs queued at all times
                }
            }

            while (pending.Count > 0)
            {
                await pending.Dequeue();
            }
        });

        TestTimeouts.WaitUntil(() => Volatile.Read(ref highStarted) >= 8, "the high stream to start");
        int highStartedWhenLowRan = await pool.RunAsync(0, (x, ct) => Volatile.Read(ref highStarted), new JobOptions { Priority = JobPriority.Low }).AsTask().WaitOrFailAsync("tasks to finish");

        Assert.True(highStartedWhenLowRan < StreamLength - 8, $"the low job ran after {highStartedWhenLowRan} of {StreamLength} high jobs, while high jobs were still queued");
        await stream.WaitOrFailAsync("the high stream");
    }

    [Fact]
    public async Task RunAsync_UndefinedPriority_ThrowsArgumentOutOfRange()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => pool.RunAsync(0, static (x, ct) => x, new JobOptions { Priority = (JobPriority)7 }));

        Assert.Equal("options", exception.ParamName);
    }

    [Fact]
    public async Task RunAsync_OptionsTimeout_OverridesThePoolsJobTimeout()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, JobTimeout = TimeSpan.FromHours(1) });

        await Assert.ThrowsAsync<WorkerPoolJobTimeoutException>(async () => await pool.RunAsync(0, static (x, ct) =>
        {
            ct.WaitHandle.WaitOne(TestTimeouts.Hang);
            return x;
        }, new JobOptions { Timeout = TimeSpan.FromMilliseconds(20) }));
    }
}
