namespace TaskPool.Tests.Core;

public sealed class WorkerPoolThreadTests
{
    [Fact]
    public async Task Constructor_WorkerCount3_JobsRunConcurrentlyOnThreeNamedBackgroundThreads()
    {
        await using var pool = new WorkerPool(new WorkerPoolOptions { Name = "threads", WorkerCount = 3 });
        using var barrier = new Barrier(3);

        var jobs = new List<ValueTask<(string? Name, bool Background, bool PoolThread, bool IsWorker)>>();
        for (int i = 0; i < 3; i++)
        {
            // All three must be inside a job at once to pass the barrier: three distinct threads.
            jobs.Add(pool.RunAsync(barrier, static (b, ct) =>
            {
                Assert.True(b.SignalAndWait(TestTimeouts.Hang, ct));
                Thread t = Thread.CurrentThread;
                return (t.Name, t.IsBackground, t.IsThreadPoolThread, WorkerPool.IsWorkerThread);
            }));
        }

        var seen = new List<(string? Name, bool Background, bool PoolThread, bool IsWorker)>();
        foreach (var job in jobs)
        {
            seen.Add(await job);
        }

        Assert.Equal(["threads worker 0", "threads worker 1", "threads worker 2"], seen.Select(s => s.Name).Order());
        Assert.All(seen, s => Assert.True(s.Background));
        Assert.All(seen, s => Assert.False(s.PoolThread));
        Assert.All(seen, s => Assert.True(s.IsWorker));
    }

    [Fact]
    public void IsWorkerThread_OutsideJobs_IsFalse()
    {
        Assert.False(WorkerPool.IsWorkerThread);
    }

    [Fact]
    public async Task Constructor_BeforeAnyJob_ThreadsAlreadyExist()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // reads /proc
        }

        string name = "ctor" + Guid.NewGuid().ToString("N")[..6];
        await using var pool = new WorkerPool(new WorkerPoolOptions { Name = name, WorkerCount = 2 });

        // The OS thread name (truncated to 15 bytes) is set from Thread.Name when the thread starts.
        TestTimeouts.WaitUntil(() => CountOsThreadsNamed(name) == 2, "two named OS threads");
        Assert.Equal(2, CountOsThreadsNamed(name));
    }

    [Fact]
    public async Task ShutdownAsync_AfterJobs_NoThreadOfThePoolRemains()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string name = "gone" + Guid.NewGuid().ToString("N")[..6];
        var pool = new WorkerPool(new WorkerPoolOptions { Name = name, WorkerCount = 3 });
        await pool.RunAsync(static ct => 1);
        TestTimeouts.WaitUntil(() => CountOsThreadsNamed(name) == 3, "three named OS threads");

        await pool.ShutdownAsync();

        // Join has returned for every worker; the kernel may take a moment to reap the task entries.
        TestTimeouts.WaitUntil(() => CountOsThreadsNamed(name) == 0, "the pool's OS threads to disappear");
    }

    internal static int CountOsThreadsNamed(string poolName)
    {
        string prefix = (poolName + " worker ").Length > 15 ? (poolName + " worker ")[..15] : poolName + " worker ";
        int count = 0;
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n').StartsWith(prefix, StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // the thread exited while we looked
            }
        }

        return count;
    }
}
