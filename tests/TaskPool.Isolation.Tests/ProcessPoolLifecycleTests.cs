using System.Diagnostics;

namespace TaskPool.Isolation.Tests;

/// <summary>Behaviour 1: children are pre-spawned and owned; none outlives the pool or its parent.</summary>
[Collection(IsolationCollection.Name)]
public sealed class ProcessPoolLifecycleTests
{
    [Fact]
    public async Task Constructor_TwoProcesses_StartsBothChildrenBeforeAnyJob()
    {
        var pool = new ProcessPool(TestWorker.Options(processCount: 2));
        await using PoolScope scope = TestWorker.Own(pool);

        IReadOnlyList<int> pids = pool.GetProcessIds();
        Assert.Equal(2, pids.Distinct().Count());
        Assert.All(pids, pid => Assert.False(TestWorker.IsGone(pid)));
        ProcessPoolStats stats = pool.GetStats();
        Assert.Equal(2, stats.ProcessCount);
        Assert.Equal(2, stats.BusyProcesses + stats.IdleProcesses);
        Assert.Equal(0, stats.Submitted);
    }

    [Fact]
    public async Task ShutdownAsync_JobsQueued_RunsThemThenStopsEveryChild()
    {
        var pool = new ProcessPool(TestWorker.Options(processCount: 1));
        int pid = pool.GetProcessIds().Single();
        Task<byte[]>[] jobs = [.. Enumerable.Range(0, 3).Select(_ => pool.RunAsync("sleep", TestWorker.Milliseconds(50)).AsTask())];

        await pool.ShutdownAsync().WaitAsync(TestTimeouts.Hang);

        Assert.All(jobs, job => Assert.Equal(pid, TestWorker.Pid(job.Result)));
        Assert.True(TestWorker.IsGone(pid), "the child outlived its pool");
        ProcessPoolStats stats = pool.GetStats();
        Assert.Equal(3, stats.Completed);
        Assert.Equal(0, stats.Restarts);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await pool.RunAsync("echo", new byte[1]));
    }

    [Fact]
    public async Task ShutdownAsync_CanceledToken_ForcesRunningAndQueuedJobsToCancelAndKillsChildren()
    {
        var pool = new ProcessPool(TestWorker.Options(processCount: 1));
        int pid = pool.GetProcessIds().Single();
        ValueTask<byte[]> running = pool.RunAsync("hang", new byte[2]);
        ValueTask<byte[]> queued = pool.RunAsync("echo", new byte[2]);
        TestTimeouts.WaitUntil(() => pool.GetStats().BusyProcesses == 1, "the hanging job to start");

        await pool.ShutdownAsync(new CancellationToken(canceled: true)).WaitAsync(TestTimeouts.Hang);

        await TestTimeouts.ThrowsWithinAsync<OperationCanceledException>(running, "the running job to be canceled");
        await TestTimeouts.ThrowsWithinAsync<OperationCanceledException>(queued, "the queued job to be canceled");
        Assert.True(TestWorker.IsGone(pid), "a forced shutdown left its child running");
        ProcessPoolStats stats = pool.GetStats();
        Assert.Equal(stats.Submitted, stats.Completed + stats.Faulted + stats.Canceled + stats.TimedOut + stats.Crashed);
    }

    [Fact]
    public async Task ParentProcess_Sigkilled_ChildrenExitWithinTwoSeconds()
    {
        using Process parent = TestWorker.StartParent(processCount: 2);
        try
        {
            string? line = await parent.StandardOutput.ReadLineAsync().WaitAsync(TestTimeouts.Hang);
            Assert.NotNull(line);
            Assert.StartsWith("PIDS ", line);
            int[] children = [.. line["PIDS ".Length..].Split(' ').Select(int.Parse)];
            Assert.Equal(2, children.Length);
            Assert.All(children, pid => Assert.False(TestWorker.IsGone(pid)));

            parent.Kill(); // SIGKILL: no finalizer, no shutdown code runs in the parent

            // The bound named by the issue: children notice within 2 s (pipe EOF, and PR_SET_PDEATHSIG on Linux).
            Assert.True(SpinWait.SpinUntil(() => children.All(TestWorker.IsGone), TimeSpan.FromSeconds(2)), "a child outlived its SIGKILLed parent");
        }
        finally
        {
            parent.Kill(entireProcessTree: true);
        }
    }
}
