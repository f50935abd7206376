using System.Diagnostics;
using System.Text.RegularExpressions;

namespace TaskPool.Isolation.Tests;

/// <summary>Behaviour 4: hangs are killed; cancels reach the child.</summary>
[Collection(IsolationCollection.Name)]
public sealed partial class ProcessPoolHangTests
{
    [Fact]
    public async Task RunAsync_InfiniteLoopPastJobTimeout_TimeoutExceptionAndWholeProcessTreeKilled()
    {
        var log = new ListLoggerFactory();
        ProcessPoolOptions options = TestWorker.Options();
        options.JobTimeout = TimeSpan.FromSeconds(1);
        options.LoggerFactory = log;
        var pool = new ProcessPool(options);
        await using PoolScope scope = TestWorker.Own(pool);
        int childPid = pool.GetProcessIds().Single();

        var clock = Stopwatch.StartNew();
        TimeoutException exception = await TestTimeouts.ThrowsWithinAsync<TimeoutException>(pool.RunAsync("hang", new byte[1]), "the hanging job to time out");
        clock.Stop();

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(20), $"the deadline fired early: {clock.Elapsed}");
        Assert.Contains("timeout", exception.Message, StringComparison.OrdinalIgnoreCase);
        int grandchildPid = int.Parse(log.Entries.Select(e => GrandchildLine().Match(e.Message)).First(m => m.Success).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        TestTimeouts.WaitUntil(() => TestWorker.IsGone(childPid) && TestWorker.IsGone(grandchildPid), "the child and its grandchild to be killed");
        Assert.NotEqual(childPid, TestWorker.Pid(await pool.RunAsync("pid", default).WaitOrFailAsync("a job on the replacement")));
        ProcessPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.TimedOut);
        Assert.Equal(1, stats.Restarts);
    }

    [Fact]
    public async Task RunAsync_CanceledWhileRunning_HandlerTokenFiresAndChildSurvives()
    {
        var pool = new ProcessPool(TestWorker.Options());
        await using PoolScope scope = TestWorker.Own(pool);
        int pid = pool.GetProcessIds().Single();
        using var cancellation = new CancellationTokenSource();

        ValueTask<byte[]> job = pool.RunAsync("cooperative", default, cancellation.Token);
        TestTimeouts.WaitUntil(() => pool.GetStats().BusyProcesses == 1, "the job to start");
        cancellation.Cancel();

        await TestTimeouts.ThrowsWithinAsync<OperationCanceledException>(job, "the canceled job");
        // The handler returned because its token fired: the same child serves the next job, with no restart.
        Assert.Equal(pid, TestWorker.Pid(await pool.RunAsync("pid", default).WaitOrFailAsync("the next job")));
        ProcessPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.Canceled);
        Assert.Equal(0, stats.Restarts);
    }

    [Fact]
    public async Task RunAsync_CanceledHandlerIgnoresToken_ChildKilledAfterGracePeriod()
    {
        var pool = new ProcessPool(TestWorker.Options());
        await using PoolScope scope = TestWorker.Own(pool);
        int pid = pool.GetProcessIds().Single();
        using var cancellation = new CancellationTokenSource();

        ValueTask<byte[]> job = pool.RunAsync("hang", default, cancellation.Token);
        TestTimeouts.WaitUntil(() => pool.GetStats().BusyProcesses == 1, "the job to start");
        cancellation.Cancel();

        await TestTimeouts.ThrowsWithinAsync<OperationCanceledException>(job, "the canceled job");
        TestTimeouts.WaitUntil(() => TestWorker.IsGone(pid), "the child that ignored the cancel to be killed");
        Assert.NotEqual(pid, TestWorker.Pid(await pool.RunAsync("pid", default).WaitOrFailAsync("a job on the replacement")));
        ProcessPoolStats stats = pool.GetStats();
        Assert.Equal(1, stats.Canceled);
        Assert.Equal(1, stats.Restarts);
    }

    [GeneratedRegex(@"grandchild (\d+)")]
    private static partial Regex GrandchildLine();
}
