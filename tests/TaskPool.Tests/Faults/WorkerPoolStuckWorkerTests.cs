namespace TaskPool.Tests.Faults;

public sealed class WorkerPoolStuckWorkerTests
{
    [Fact]
    public async Task StuckJob_OverrunsDeadlinePlusGrace_ReplacementServesAndTheStuckThreadRetiresWhenItReturns()
    {
        string name = "stuck" + Guid.NewGuid().ToString("N")[..5];
        var logs = new ListLoggerFactory();
        var pool = new WorkerPool(new WorkerPoolOptions
        {
            Name = name,
            WorkerCount = 1,
            JobTimeout = TimeSpan.FromMilliseconds(20),
            StuckJobGracePeriod = TimeSpan.FromMilliseconds(50),
            LoggerFactory = logs,
        });
        using var release = new ManualResetEventSlim();
        Task<int> runaway = pool.RunAsync(release, static (r, ct) =>
        {
            r.Wait(TestTimeouts.Hang); // ignores its token
            return 1;
        }).AsTask();
        await Assert.ThrowsAsync<WorkerPoolJobTimeoutException>(() => runaway.WaitOrFailAsync("the runaway's timeout"));

        TestTimeouts.WaitUntil(() => pool.GetStats().StuckWorkers == 1, "the worker to be declared stuck");
        (string? Thread, bool IsWorker) served = await pool.RunAsync(static ct => (Thread.CurrentThread.Name, WorkerPool.IsWorkerThread)).AsTask().WaitOrFailAsync("tasks to finish");

        Assert.Equal($"{name} worker 0.1", served.Thread); // the replacement took slot 0
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.WorkerCount);
        Assert.Equal(0, stats.BusyWorkers); // the stuck thread no longer occupies a slot
        TestTimeouts.WaitUntil( // logged right after the count changes
            () => logs.Entries.Any(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("is stuck", StringComparison.Ordinal) && e.Message.Contains(name, StringComparison.Ordinal)),
            "the stuck-worker warning");

        release.Set();
        TestTimeouts.WaitUntil(() => pool.GetStats().StuckWorkers == 0, "the stuck worker to recover");
        if (OperatingSystem.IsLinux())
        {
            TestTimeouts.WaitUntil(() => Core.WorkerPoolThreadTests.CountOsThreadsNamed(name) == 1, "the retired thread to exit");
        }

        await pool.ShutdownAsync().WaitOrFailAsync("shutdown");
        stats = pool.GetStats();
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled + stats.TimedOut);
    }

    [Fact]
    public async Task StuckJobs_BeyondTheReplacementBound_NoMoreThreadsAndTheSlotStaysBusy()
    {
        var pool = new WorkerPool(new WorkerPoolOptions
        {
            WorkerCount = 1,
            JobTimeout = TimeSpan.FromMilliseconds(10),
            StuckJobGracePeriod = TimeSpan.FromMilliseconds(20),
            MaxStuckWorkerReplacements = 1,
        });
        using var release = new ManualResetEventSlim();
        for (int i = 1; i <= 2; i++)
        {
            Task<int> runaway = pool.RunAsync(release, static (r, ct) =>
            {
                r.Wait(TestTimeouts.Hang);
                return 1;
            }).AsTask();
            await Assert.ThrowsAsync<WorkerPoolJobTimeoutException>(() => runaway.WaitOrFailAsync("a runaway's timeout"));
            int expected = i;
            TestTimeouts.WaitUntil(() => pool.GetStats().StuckWorkers == expected, "a stuck declaration");
        }

        // The first stuck worker was replaced; the replacement got stuck too, and the bound (1) forbids a second replacement.
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.BusyWorkers);
        Assert.Equal(1, pool.MaxStuckWorkerReplacements);
        Task<int> waiting = pool.RunAsync(static ct => 3, default).AsTask();
        Assert.False(waiting.IsCompleted); // no thread is free to run it

        release.Set();
        TestTimeouts.WaitUntil(() => pool.GetStats().StuckWorkers == 0, "both to recover");
        Assert.Equal(3, await waiting.WaitOrFailAsync("tasks to finish"));
        await pool.ShutdownAsync().WaitOrFailAsync("shutdown");
    }

    [Fact]
    public async Task ShutdownAsync_ForcedWhileAJobIgnoresItsToken_ReturnsAndReportsTheStuckWorker()
    {
        var logs = new ListLoggerFactory();
        var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 2, QueueCapacity = 8, StuckJobGracePeriod = TimeSpan.FromMilliseconds(100), LoggerFactory = logs });
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        Task<int> runaway = pool.RunAsync((release, started), static (s, ct) =>
        {
            s.started.Set();
            s.release.Wait(); // ignores its token entirely
            return 1;
        }).AsTask();
        started.WaitOrFail("the runaway to start");
        using var now = new CancellationTokenSource();
        now.Cancel();

        await pool.ShutdownAsync(now.Token).WaitOrFailAsync("a forced shutdown despite the runaway");

        Assert.Equal(1, pool.GetStats().StuckWorkers);
        Assert.Contains(logs.Entries, e => e.Message.Contains("shut down with 1 stuck", StringComparison.Ordinal));
        Assert.False(runaway.IsCompleted);
        release.Set();
        Assert.Equal(1, await runaway.WaitOrFailAsync("tasks to finish")); // its caller still gets the result when it finally returns
        TestTimeouts.WaitUntil(() => pool.GetStats().StuckWorkers == 0, "the stuck worker to recover and exit");
    }

    [Fact]
    public async Task ShutdownAsync_ForcedWhileEveryWorkerIgnoresItsToken_QueuedJobsAreCanceledAtOnce()
    {
        var pool = new WorkerPool(new WorkerPoolOptions { WorkerCount = 1, QueueCapacity = 8, StuckJobGracePeriod = TimeSpan.FromMinutes(5) });
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        Task<int> runaway = pool.RunAsync((release, started), static (s, ct) =>
        {
            s.started.Set();
            s.release.Wait(); // ignores its token: the only worker stays busy
            return 1;
        }).AsTask();
        started.WaitOrFail("the runaway to start");
        Task<int> queued = pool.RunAsync(static ct => 2).AsTask();
        using var now = new CancellationTokenSource();
        now.Cancel();

        Task shutdown = pool.ShutdownAsync(now.Token);

        // Within the liveness bound, far below the five-minute grace period: the forced shutdown itself canceled the queued job.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitOrFailAsync("the queued job to be canceled"));
        Assert.False(shutdown.IsCompleted); // still waiting for the runaway's thread
        release.Set();
        Assert.Equal(1, await runaway);
        await shutdown.WaitOrFailAsync("the shutdown");
        WorkerPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.Canceled);
        Assert.Equal(stats.Submitted, stats.Completed + stats.Canceled);
    }
}
