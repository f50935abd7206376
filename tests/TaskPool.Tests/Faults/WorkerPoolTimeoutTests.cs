namespace TaskPool.Tests.Faults;

public sealed class WorkerPoolTimeoutTests
{
    [Fact]
    public async Task RunAsync_JobIgnoresItsTokenPastJobTimeout_CallerGetsTimeoutAtOnceAndTheTokenIsCanceled()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { Name = "timeouts", WorkerCount = 1, JobTimeout = TimeSpan.FromMilliseconds(50) });
        using var release = new ManualResetEventSlim();
        using var tokenSeenCanceled = new ManualResetEventSlim();
        var result = new CountingDisposable();

        Task<CountingDisposable> job = pool.RunAsync((release, tokenSeenCanceled, result), static (s, ct) =>
        {
            ct.WaitHandle.WaitOne(TestTimeouts.Hang);
            if (ct.IsCancellationRequested)
            {
                s.tokenSeenCanceled.Set();
            }

            s.release.Wait(TestTimeouts.Hang); // keeps running after its token was canceled: the caller must not wait for this
            return s.result;
        }).AsTask();

        var exception = await Assert.ThrowsAsync<WorkerPoolJobTimeoutException>(() => job.WaitOrFailAsync("the timeout"));
        Assert.Contains("timeouts", exception.Message, StringComparison.Ordinal);
        Assert.Equal("timeouts", exception.PoolName);
        Assert.Equal(TimeSpan.FromMilliseconds(50), exception.Timeout);
        tokenSeenCanceled.WaitOrFail("the job to see its token canceled");
        Assert.Equal(1, pool.GetStats().BusyWorkers); // the job is still running

        release.Set();
        TestTimeouts.WaitUntil(() => result.Disposals == 1, "the late result to be disposed");
        Assert.Equal(5, await pool.RunAsync(static ct => 5)); // the same worker serves on
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.TimedOut);
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled + stats.TimedOut);
        Assert.Equal(1, result.Disposals);
    }

    [Fact]
    public async Task RunAsync_PerCallTimeout_OverridesThePoolsNone()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });

        await Assert.ThrowsAsync<WorkerPoolJobTimeoutException>(async () => await pool.RunAsync(0, static (x, ct) =>
        {
            ct.WaitHandle.WaitOne(TestTimeouts.Hang);
            return x;
        }, TimeSpan.FromMilliseconds(20)).AsTask().WaitOrFailAsync("tasks to finish"));

        await Assert.ThrowsAsync<WorkerPoolJobTimeoutException>(async () => await pool.RunAsync(0, static (x, ct) => { ct.WaitHandle.WaitOne(TestTimeouts.Hang); }, TimeSpan.FromMilliseconds(20)).AsTask().WaitOrFailAsync("void timeout"));
    }

    [Fact]
    public async Task RunAsync_InfinitePerCallTimeout_OverridesThePoolDefault()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, JobTimeout = TimeSpan.FromMilliseconds(10) });
        using var release = new ManualResetEventSlim();

        Task<int> job = pool.RunAsync(release, static (r, ct) =>
        {
            r.Wait(TestTimeouts.Hang);
            return 7;
        }, Timeout.InfiniteTimeSpan).AsTask();
        await Task.Delay(200); // twenty times the pool's default timeout: a wrongly applied default would have fired

        Assert.False(job.IsCompleted);
        release.Set();
        Assert.Equal(7, await job);
    }

    [Fact]
    public async Task RunAsync_JobFinishesBeforeItsDeadline_CompletesNormally()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2, JobTimeout = TimeSpan.FromSeconds(30) });

        int[] results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => pool.RunAsync(i, static (x, ct) => x).AsTask()));

        Assert.Equal(Enumerable.Range(0, 1000), results);
        Assert.Equal(0, pool.GetStats().TimedOut);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task RunAsync_NonPositiveTimeout_ThrowsArgumentOutOfRange(int milliseconds)
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1 });

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => pool.RunAsync(1, static (x, ct) => x, TimeSpan.FromMilliseconds(milliseconds)));

        Assert.Equal("timeout", exception.ParamName);
    }

    [Fact]
    public void Constructor_NonPositiveJobTimeout_ThrowsNamingTheOption()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(new WorkerPoolOptions { JobTimeout = TimeSpan.Zero }));

        Assert.Equal("JobTimeout", exception.ParamName);
    }

    [Fact]
    public async Task RunAsync_TimeoutRacesWithCompletion_EveryJobResolvesExactlyOnce()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2, QueueCapacity = 64 });
        var jobs = new List<Task<int>>();
        for (int i = 0; i < 400; i++)
        {
            // Jobs that take about as long as their timeout: some finish first, some time out.
            jobs.Add(pool.RunAsync(i, static (x, ct) =>
            {
                Thread.SpinWait(20_000);
                return x;
            }, TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / 10 + (i % 7) * 500)).AsTask());
        }

        int completed = 0, timedOut = 0;
        foreach (Task<int> job in jobs)
        {
            try
            {
                await job.WaitOrFailAsync("tasks to finish");
                completed++;
            }
            catch (TimeoutException)
            {
                timedOut++;
            }
        }

        TestTimeouts.WaitUntil(() => pool.GetStats().BusyWorkers == 0, "the workers to finish the timed-out jobs");
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(400, completed + timedOut);
        Assert.Equal(completed, stats.Completed);
        Assert.Equal(timedOut, stats.TimedOut);
        Assert.Equal(stats.Submitted, stats.Completed + stats.TimedOut);
    }
}
