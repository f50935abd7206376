namespace TaskPool.Isolation.Tests;

/// <summary>Behaviour 5: a child past its memory limit is stopped and replaced; the parent is not affected.</summary>
[Collection(IsolationCollection.Name)]
public sealed class ProcessPoolMemoryTests
{
    private const long Limit = 256L << 20;

    [Theory]
    [InlineData("allocate")]
    [InlineData("allocate-native")]
    public async Task RunAsync_AllocatesWithoutEnd_StoppedNamingTheLimitAndReplaced(string jobName)
    {
        ProcessPoolOptions options = TestWorker.Options();
        options.MemoryLimitBytes = Limit;
        var pool = new ProcessPool(options);
        await using PoolScope scope = TestWorker.Own(pool);
        int pid = pool.GetProcessIds().Single();
        long parentHeapBefore = GC.GetTotalMemory(forceFullCollection: true);

        WorkerProcessCrashedException exception = await TestTimeouts.ThrowsWithinAsync<WorkerProcessCrashedException>(pool.RunAsync(jobName, default), "the allocating job to be stopped");

        Assert.Contains($"memory limit of {Limit} bytes", exception.Message);
        Assert.Contains("MemoryLimitBytes", exception.Reason);
        Assert.Equal(pid, exception.ProcessId);
        long parentHeapAfter = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(parentHeapAfter - parentHeapBefore < Limit / 4, $"the parent's heap grew by {parentHeapAfter - parentHeapBefore} bytes");
        Assert.NotEqual(pid, TestWorker.Pid(await pool.RunAsync("pid", default).WaitOrFailAsync("a job on the replacement")));
        ProcessPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.Crashed);
        Assert.Equal(1, stats.Restarts);
    }
}
